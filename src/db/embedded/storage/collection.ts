/**
 * One collection: documents in insertion order keyed by canonicalKey(_id) (the primary
 * index), secondary indexes and an optional text index. `write` is the only mutator:
 * it checks everything first and changes nothing when it throws.
 */
import { CommandError, fail } from '../errors.js';
import { FieldIndex } from './field-index.js';
import { canonicalKey } from './query-deps.js';
import { TextIndex, isTextKey, normaliseTextSpec } from './text-index.js';
import type { Doc, IndexSpec } from './types.js';

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  /** Regular indexes by name, `_id_` first, in creation order. */
  readonly indexes = new Map<string, FieldIndex>();
  text: TextIndex | undefined;
  /** Documents examined by queries (tests use it to prove index lookups). */
  scanned = 0;

  constructor(
    readonly db: string,
    public name: string,
    public options: Record<string, unknown>,
  ) {
    this.indexes.set('_id_', new FieldIndex(ID_INDEX_SPEC));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Index specs in creation order (text index last), as listIndexes shows them. */
  indexSpecs(): IndexSpec[] {
    const specs = [...this.indexes.values()].map((i) => i.spec);
    if (this.text) specs.push(this.text.spec);
    return specs;
  }

  findIndex(name: string): IndexSpec | undefined {
    return this.indexes.get(name)?.spec ?? (this.text?.name === name ? this.text.spec : undefined);
  }

  /**
   * Inserts (before undefined), replaces, or deletes (after undefined) one document.
   * Unique indexes are checked before anything changes.
   */
  write(before: Doc | undefined, after: Doc | undefined): void {
    const beforeKey = before ? canonicalKey(before._id) : undefined;
    const afterKey = after ? canonicalKey(after._id) : undefined;
    if (after && afterKey !== undefined) {
      if (!before && this.docs.has(afterKey)) this.throwDuplicate(this.indexes.get('_id_')!, [after._id]);
      for (const index of this.indexes.values()) {
        if (index.name === '_id_') continue;
        if (index.fields.length > 1) index.keysOf(after); // throws on parallel arrays, before any change
        const dup = index.findDuplicate(after, afterKey);
        if (dup) this.throwDuplicate(index, dup.values);
      }
    }
    if (before && beforeKey !== undefined) {
      for (const index of this.indexes.values()) index.remove(beforeKey, before);
      this.text?.remove(beforeKey);
      if (!after) this.docs.delete(beforeKey);
    }
    if (after && afterKey !== undefined) {
      this.docs.set(afterKey, after);
      for (const index of this.indexes.values()) index.add(afterKey, after);
      this.text?.add(afterKey, after);
    }
  }

  private throwDuplicate(index: FieldIndex, values: unknown[]): never {
    const { message, keyPattern, keyValue } = index.duplicateError(this.ns, values);
    throw new CommandError('DuplicateKey', message, { keyPattern, keyValue });
  }

  /** Builds an index over the existing documents; fails without change on a duplicate. */
  addIndex(spec: IndexSpec): IndexSpec {
    if (isTextKey(spec.key)) {
      if (this.text) {
        fail('IndexOptionsConflict', `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(this.text.spec)}`);
      }
      const text = new TextIndex(normaliseTextSpec(spec));
      for (const [id, doc] of this.docs) text.add(id, doc);
      this.text = text;
      return text.spec;
    }
    const index = new FieldIndex(spec);
    for (const [id, doc] of this.docs) {
      const dup = index.findDuplicate(doc, id);
      if (dup) {
        const { message, keyPattern, keyValue } = index.duplicateError(this.ns, dup.values);
        index.clear();
        throw new CommandError('DuplicateKey', message, { keyPattern, keyValue });
      }
      index.add(id, doc);
    }
    this.indexes.set(spec.name, index);
    return spec;
  }

  dropIndex(name: string): void {
    if (this.text?.name === name) this.text = undefined;
    else this.indexes.delete(name);
  }

  /** Drops every index but `_id_` and empties the documents' index entries. */
  dropAllIndexes(): void {
    for (const name of [...this.indexes.keys()]) if (name !== '_id_') this.indexes.delete(name);
    this.text = undefined;
  }
}
