/**
 * Query planning: an equality or `$in` on `_id` or on the leading field of an index is
 * answered from the index; anything else scans. `$text` takes its candidates from the text index.
 */
import { BSONRegExp } from 'bson';
import { fail } from '../errors.js';
import type { Collection } from './collection.js';
import { canonicalKey, compileFilter, compileSort, type Matcher } from './query-deps.js';
import type { Doc } from './types.js';

export type ScoreFn = (doc: Doc) => number | undefined;

export interface PreparedQuery {
  matcher: Matcher;
  textScore: ScoreFn | undefined;
  /** Candidate documents (a superset of the matches), from an index when one applies. */
  candidates(): Iterable<Doc>;
}

function isPlainObject(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !('_bsontype' in v);
}

/** A value an index lookup can answer exactly (null, arrays and regexes match more than their key). */
function indexable(v: unknown): boolean {
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp || v instanceof BSONRegExp) return false;
  if (isPlainObject(v)) return !Object.keys(v).some((k) => k.startsWith('$'));
  return true;
}

/** Top-level equality / `$in` constraints (also inside a top-level `$and`). */
function equalityConstraints(filter: Doc, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [path, cond] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) equalityConstraints(sub, out);
      continue;
    }
    if (path.startsWith('$')) continue;
    let values: unknown[] | undefined;
    if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const keys = Object.keys(cond);
      if (keys.length === 1 && keys[0] === '$eq') values = [cond.$eq];
      else if (keys.length === 1 && keys[0] === '$in' && Array.isArray(cond.$in)) values = cond.$in;
    } else {
      values = [cond];
    }
    if (values && values.every(indexable) && !out.has(path)) out.set(path, values);
  }
  return out;
}

function planIds(coll: Collection, filter: Doc): Iterable<string> | undefined {
  const constraints = equalityConstraints(filter);
  if (constraints.size === 0) return undefined;
  const ids = constraints.get('_id');
  if (ids) return ids.length === 1 ? [canonicalKey(ids[0])] : new Set(ids.map(canonicalKey));
  let best: Set<string> | undefined;
  for (const index of coll.indexes.values()) {
    if (!index.usableForEquality) continue;
    const values = constraints.get(index.fields[0]!);
    if (!values) continue;
    const found = new Set<string>();
    for (const v of values) for (const id of index.lookup(v) ?? []) found.add(id);
    if (!best || found.size < best.size) best = found;
  }
  return best;
}

/**
 * `{ _id: <string | number | ObjectId | Date> }` (the shape of findOne / updateOne by id): the
 * primary key of the only document it can match. For these types equal canonical keys mean
 * equal values, so no matcher needs to be compiled.
 */
function exactIdKey(filter: Doc): string | undefined {
  let count = 0;
  for (const k in filter) if (k !== '_id' || ++count > 1) return undefined;
  const v = filter._id;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return canonicalKey(v);
  if (v !== null && typeof v === 'object' && (v as { _bsontype?: unknown })._bsontype === 'ObjectId') return canonicalKey(v);
  return undefined;
}

/** Simple `{ field: 1 | -1, … }` sorts (no `$meta`), the only ones an index can serve. */
function plainSort(sort: Doc | undefined): { field: string; dir: number }[] | undefined {
  if (!sort) return undefined;
  const out: { field: string; dir: number }[] = [];
  for (const [field, dir] of Object.entries(sort)) {
    if (dir !== 1 && dir !== -1) return undefined;
    out.push({ field, dir });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Up to this many equality candidates are always fetched and sorted rather than walked: sorting
 * them costs little, while a walk's cost depends on where the candidates sit in the sort order
 * (all at the far end of the index, a walk examines nearly every document).
 */
const SORT_CANDIDATES_UP_TO = 1000;

/**
 * An index walk that yields the documents already in `sort` order, when one index serves the sort
 * and walking it is expected to examine fewer documents than fetching the equality candidates
 * (`candidateCount`) and sorting them: a walk stops after `wanted` matches, examining about
 * wanted × N / candidateCount documents when the candidates are spread evenly.
 */
function sortedWalk(coll: Collection, sort: Doc | undefined, candidateCount: number | undefined, wanted: number, from = 0): Iterable<string> | undefined {
  const keys = plainSort(sort);
  if (!keys) return undefined;
  const total = coll.docs.size;
  if (candidateCount !== undefined && candidateCount <= SORT_CANDIDATES_UP_TO) return undefined;
  if (candidateCount !== undefined && (wanted === Infinity || (wanted * total) / Math.max(1, candidateCount) > candidateCount)) return undefined;
  for (const index of coll.indexes.values()) {
    const direction = index.sortDirection(keys);
    if (direction) return index.orderedIds(direction === 'forward', () => coll.docs, from);
  }
  return undefined;
}

export function prepareQuery(
  coll: Collection | undefined,
  filter: Doc,
  variables?: Doc,
  order?: { sort: Doc | undefined; wanted: number; skip?: number },
): PreparedQuery & { sorted: boolean; skipped: number } {
  let textScore: ScoreFn | undefined;
  let textIds: Iterable<string> | undefined;
  const text = filter.$text;
  if (text !== undefined) {
    if (!coll?.text) fail('IndexNotFound', 'text index required for $text query');
    const search = isPlainObject(text) ? text.$search : undefined;
    if (typeof search !== 'string') fail('BadValue', '$text requires a $search string');
    const scores = coll.text.search(search, (id) => coll.docs.get(id));
    textScore = (doc) => scores.get(canonicalKey(doc._id));
    textIds = scores.keys();
  }
  const matcher = compileFilter(filter, { textScore, variables });
  let ids = textIds ?? (coll ? planIds(coll, filter) : undefined);
  let sorted = false;
  let skipped = 0;
  if (coll && order && !textIds) {
    const size = ids === undefined ? undefined : Array.isArray(ids) ? ids.length : (ids as Set<string>).size;
    // An empty filter matches every document: a walk may start at the skip's position (an index
    // scan's offset) instead of examining the skipped documents one by one.
    const from = Object.keys(filter).length === 0 ? Math.min(order.skip ?? 0, coll.docs.size) : 0;
    const walk = sortedWalk(coll, order.sort, size, order.wanted, from);
    if (walk) {
      ids = walk;
      sorted = true;
      skipped = from;
    }
  }
  return {
    matcher,
    textScore,
    sorted,
    skipped,
    *candidates() {
      if (!coll) return;
      if (ids) {
        for (const id of ids) {
          const doc = coll.docs.get(id);
          if (doc) {
            coll.scanned++;
            yield doc;
          }
        }
        return;
      }
      for (const doc of coll.docs.values()) {
        coll.scanned++;
        yield doc;
      }
    },
  };
}

export interface FindOptions {
  sort?: Doc;
  skip?: number;
  limit?: number;
}

/** Matching documents, sorted, skipped and limited (stored documents; callers must not mutate). */
export function findDocs(coll: Collection | undefined, filter: Doc, options: FindOptions = {}, variables?: Doc): { docs: Doc[]; textScore: ScoreFn | undefined } {
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  const hasSort = options.sort !== undefined && Object.keys(options.sort).length > 0;
  const idKey = hasSort ? undefined : exactIdKey(filter);
  if (idKey !== undefined) {
    // At most one document can match: the primary key answers without compiling a matcher.
    const doc = coll?.docs.get(idKey);
    if (!coll || !doc) return { docs: [], textScore: undefined };
    coll.scanned++;
    return { docs: skip > 0 ? [] : [doc], textScore: undefined };
  }
  const wanted = limit > 0 ? skip + limit : Infinity;
  const q = prepareQuery(coll, filter, variables, hasSort ? { sort: options.sort, wanted, skip } : undefined);
  // Validates the sort even when an index walk already yields its order.
  const compiled = options.sort && hasSort ? compileSort(options.sort, { textScore: q.textScore }) : undefined;
  const sort = q.sorted ? undefined : compiled;
  // Without a sort left to do we can stop as soon as skip + limit documents matched.
  const stopAt = !sort ? wanted - q.skipped : Infinity;
  let docs: Doc[] = [];
  for (const doc of q.candidates()) {
    if (q.matcher(doc)) {
      docs.push(doc);
      if (docs.length >= stopAt) break;
    }
  }
  if (sort) docs.sort(sort);
  const rest = skip - q.skipped;
  if (rest > 0 || limit > 0) docs = docs.slice(rest, limit > 0 ? rest + limit : undefined);
  return { docs, textScore: q.textScore };
}
