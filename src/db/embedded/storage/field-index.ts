/**
 * A regular (non-text) index: single or compound, unique, sparse, partial, multikey, TTL.
 * Entries map a key string to the ids (canonical keys) of the documents holding it.
 */
import { fail } from '../errors.js';
import { canonicalKey, compileFilter, type Matcher } from './query-deps.js';
import { MISSING, formatKeyValue, valuesAtPath } from './key-values.js';
import { OrderedKeys, pathHasArray } from './ordered-keys.js';
import type { Doc, IndexSpec } from './types.js';

const EMPTY_ARRAY_KEY = '\u0001[]';

function keyPart(v: unknown): string {
  if (v === MISSING) return canonicalKey(null);
  if (v === undefined) return EMPTY_ARRAY_KEY;
  return canonicalKey(v);
}

interface KeyTuple {
  key: string;
  values: unknown[];
}

export interface DuplicateInfo {
  index: FieldIndex;
  values: unknown[];
}

export class FieldIndex {
  readonly name: string;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly expireAfterSeconds: number | undefined;
  private readonly partial: Matcher | undefined;
  private readonly entries = new Map<string, Set<string>>();
  /** Leading-field lookup for compound indexes (single-field indexes use `entries`). */
  private readonly leading: Map<string, Set<string>> | undefined;
  /** Some document holds an array on an indexed path (sticky until the index is rebuilt, as in mongod). */
  private multikey = false;
  /** Key order for index-served sorts; built on first use (see ordered-keys.ts). */
  private ordered: OrderedKeys | undefined;

  constructor(readonly spec: IndexSpec) {
    this.name = spec.name;
    this.fields = Object.keys(spec.key);
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.expireAfterSeconds = typeof spec.expireAfterSeconds === 'number' ? spec.expireAfterSeconds : undefined;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression as Doc) : undefined;
    this.leading = this.fields.length > 1 ? new Map() : undefined;
  }

  /** Whether this index holds entries for `doc` (sparse and partial indexes skip some). */
  covers(doc: Doc): boolean {
    if (this.partial && !this.partial(doc)) return false;
    if (this.sparse && this.fields.every((f) => valuesAtPath(doc, f)[0] === MISSING)) return false;
    return true;
  }

  /** The key tuples of `doc` (cartesian product over multikey fields). */
  keysOf(doc: Doc): KeyTuple[] {
    if (this.fields.length === 1) {
      const values = valuesAtPath(doc, this.fields[0]!);
      return dedupe(values.map((v) => ({ key: keyPart(v), values: [v] })));
    }
    let tuples: KeyTuple[] = [{ key: '', values: [] }];
    let arrays = 0;
    for (const f of this.fields) {
      const values = valuesAtPath(doc, f);
      if (values.length > 1 && ++arrays > 1) {
        fail('CannotIndexParallelArrays', `cannot index parallel arrays in index ${this.name}`, undefined, 171);
      }
      const next: KeyTuple[] = [];
      for (const t of tuples) for (const v of values) next.push({ key: t.key + '\u0000' + keyPart(v), values: [...t.values, v] });
      tuples = next;
    }
    return dedupe(tuples);
  }

  /** A document other than `idKey` that already holds one of `doc`'s keys (unique indexes only). */
  findDuplicate(doc: Doc, idKey: string): DuplicateInfo | undefined {
    if (!this.unique || !this.covers(doc)) return undefined;
    for (const t of this.keysOf(doc)) {
      const ids = this.entries.get(t.key);
      if (ids && (ids.size > 1 || !ids.has(idKey))) return { index: this, values: t.values };
    }
    return undefined;
  }

  add(idKey: string, doc: Doc): void {
    if (!this.covers(doc)) return;
    if (!this.multikey && this.fields.some((f) => pathHasArray(doc, f))) {
      this.multikey = true;
      this.ordered = undefined;
    }
    this.ordered?.add(idKey, doc);
    for (const t of this.keysOf(doc)) {
      addTo(this.entries, t.key, idKey);
      if (this.leading) addTo(this.leading, keyPart(t.values[0]), idKey);
    }
  }

  remove(idKey: string, doc: Doc): void {
    if (!this.covers(doc)) return;
    this.ordered?.remove(idKey, doc);
    for (const t of this.keysOf(doc)) {
      removeFrom(this.entries, t.key, idKey);
      if (this.leading) removeFrom(this.leading, keyPart(t.values[0]), idKey);
    }
  }

  /** Ids whose leading field equals `value` (multikey: any element). */
  lookup(value: unknown): ReadonlySet<string> | undefined {
    return (this.leading ?? this.entries).get(keyPart(value));
  }

  /** Whether equality lookups on the leading field are complete (sparse/partial indexes miss documents). */
  get usableForEquality(): boolean {
    return !this.partial && !this.sparse;
  }

  clear(): void {
    this.entries.clear();
    this.leading?.clear();
    this.ordered = undefined;
    this.multikey = false;
  }

  /**
   * Whether a walk of this index yields `sort`'s order: the sort's fields are a prefix of the
   * index's, with all directions as in the index (forward) or all reversed (backward). Sparse,
   * partial and multikey indexes never serve a sort (they miss documents or order arrays differently).
   */
  sortDirection(sort: readonly { field: string; dir: number }[]): 'forward' | 'backward' | undefined {
    if (this.multikey || !this.usableForEquality || sort.length === 0 || sort.length > this.fields.length) return undefined;
    const dirs = this.directions;
    if (!dirs) return undefined;
    let sign = 0;
    for (let i = 0; i < sort.length; i++) {
      const s = sort[i]!;
      if (s.field !== this.fields[i]) return undefined;
      const same = s.dir * dirs[i]!;
      if (sign !== 0 && same !== sign) return undefined;
      sign = same;
    }
    return sign > 0 ? 'forward' : 'backward';
  }

  /** 1 / -1 per field; undefined for an index with a non-ordered key (e.g. hashed). */
  private get directions(): number[] | undefined {
    const dirs = this.fields.map((f) => Number(this.spec.key[f]));
    return dirs.every((d) => d === 1 || d === -1) ? dirs : undefined;
  }

  /** Ids in index order (or reversed); `docs` builds the order the first time it is needed. */
  /** Ids in the index's order (or its reverse), from position `from` of that order. */
  orderedIds(forward: boolean, docs: () => Iterable<[string, Doc]>, from = 0): Iterable<string> {
    if (!this.ordered) {
      this.ordered = new OrderedKeys(this.fields, this.directions ?? []);
      this.ordered.build(docs());
    }
    return this.ordered.ids(forward, from);
  }

  /** The duplicate-key error, as mongod words it. */
  duplicateError(ns: string, values: unknown[]): { message: string; keyPattern: Doc; keyValue: Doc } {
    const keyPattern: Doc = { ...this.spec.key };
    const keyValue: Doc = {};
    const printed: string[] = [];
    this.fields.forEach((f, i) => {
      const v = values[i];
      keyValue[f] = v === MISSING ? null : v;
      printed.push(`${f}: ${formatKeyValue(v)}`);
    });
    return {
      message: `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${printed.join(', ')} }`,
      keyPattern,
      keyValue,
    };
  }
}

function dedupe(tuples: KeyTuple[]): KeyTuple[] {
  if (tuples.length < 2) return tuples;
  const seen = new Set<string>();
  return tuples.filter((t) => (seen.has(t.key) ? false : (seen.add(t.key), true)));
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}
