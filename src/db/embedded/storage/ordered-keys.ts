/**
 * The key order of a regular index, for sorts that an index can serve (sort + limit without a
 * blocking sort, as mongod's IXSCAN does). Built on the first sorted query that needs it, then kept
 * up to date by every write (binary search + splice). Only for indexes that are not multikey: an
 * array value sorts by its smallest or largest element depending on the sort's direction, which one
 * stored order cannot serve (mongod has the same rule for multikey indexes).
 */
import { compareValues } from './query-deps.js';
import { MISSING, valuesAtPath } from './key-values.js';
import type { Doc } from './types.js';

interface Entry {
  /** One value per index field; a missing field is `undefined`, as the sort comparator sees it. */
  keys: unknown[];
  id: string;
}

/** Whether `path` in `doc` passes through or ends on an array (the document makes the index multikey). */
export function pathHasArray(doc: Doc, path: string): boolean {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || value instanceof Date || '_bsontype' in value) return false;
    value = (value as Doc)[part];
    if (Array.isArray(value)) return true;
  }
  return false;
}

export class OrderedKeys {
  private readonly entries: Entry[] = [];

  /** `fields` and `dirs` as in the index's key pattern (1 or -1 each). */
  constructor(
    private readonly fields: readonly string[],
    private readonly dirs: readonly number[],
  ) {}

  private entryOf(id: string, doc: Doc): Entry {
    return { id, keys: this.fields.map((f) => { const v = valuesAtPath(doc, f)[0]; return v === MISSING ? undefined : v; }) };
  }

  /** Index order; ties (equal keys) by id so that every entry has one exact position. */
  private compare(a: Entry, b: Entry): number {
    for (let i = 0; i < this.fields.length; i++) {
      const c = compareValues(a.keys[i], b.keys[i]);
      if (c !== 0) return c * (this.dirs[i] ?? 1);
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** First position whose entry is not before `e`. */
  private position(e: Entry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.entries[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  build(docs: Iterable<[string, Doc]>): void {
    this.entries.length = 0;
    for (const [id, doc] of docs) this.entries.push(this.entryOf(id, doc));
    this.entries.sort((a, b) => this.compare(a, b));
  }

  add(id: string, doc: Doc): void {
    const e = this.entryOf(id, doc);
    this.entries.splice(this.position(e), 0, e);
  }

  remove(id: string, doc: Doc): void {
    const e = this.entryOf(id, doc);
    const at = this.position(e);
    if (this.entries[at]?.id === id) this.entries.splice(at, 1);
  }

  /** Ids in index order (`forward`) or its reverse, from position `from` of that order. */
  *ids(forward: boolean, from = 0): Generator<string> {
    const n = this.entries.length;
    for (let i = from; i < n; i++) yield this.entries[forward ? i : n - 1 - i]!.id;
  }

  get size(): number {
    return this.entries.length;
  }
}
