import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { changedFields } from '../audit/service.js';
import type { VersionedCache } from './cache.js';
import type { Actor, AuditSink } from './editor.js';
import { CATEGORIES, PRODUCTS } from './repository.js';
import { isSlug } from './translated.js';
import type { CategoryDoc, PublishStatus, Translated } from './types.js';

/**
 * Staff edits of the category tree (the back office). A save applies on the version the form
 * read (optimistic concurrency); a move under another parent rewrites the ancestors of the whole
 * subtree and keeps the tree at three levels (root, child, grandchild) with no cycle.
 * The descendants are updated after the category itself, one by one: a crash in between leaves
 * stale ancestorIds on a grandchild at worst, which the next save of that branch repairs.
 */

export const MAX_LEVEL = 2;

export interface CategoryEdit {
  slug: string;
  name: Translated;
  description: Translated;
  parentId: ObjectId | null;
  sortOrder: number;
  status: PublishStatus;
}

export type CategorySaveResult = { kind: 'saved'; doc: CategoryDoc } | { kind: 'conflict'; current: CategoryDoc };
/** `menuLinks` / `homeSections`: how many of the references to it (CategoryReferences) were updated. */
export type CategoryDeleteResult = { kind: 'deleted'; menuLinks: number; homeSections: number } | { kind: 'conflict' } | { kind: 'inUse'; children: number; products: number };

/** One change made to another document, as the audit log records it. */
export interface ReferenceChange {
  action: string;
  entity: { type: string; id: string };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * What points at a category from outside the catalog (the menu, the home page sections): the owner
 * of those documents removes the references to a deleted category and drops its caches.
 */
export interface CategoryReferences {
  drop(id: ObjectId): Promise<{ menuLinks: number; homeSections: number; changes: ReferenceChange[] }>;
}

function createCategoryAdminRepository(db: Db) {
  const categories = db.collection<CategoryDoc>(CATEGORIES);
  const products = db.collection(PRODUCTS);
  return {
    children: (id: ObjectId) => categories.countDocuments({ parentId: id }),
    productsIn: (id: ObjectId) => products.countDocuments({ categoryIds: id }),
    async remove(id: ObjectId, version: number): Promise<boolean> {
      return (await categories.deleteOne({ _id: id, version })).deletedCount === 1;
    },
    all: () => categories.find({}).sort({ sortOrder: 1, slug: 1 }).toArray(),
    byId: (id: ObjectId) => categories.findOne({ _id: id }),
    descendants: (id: ObjectId) => categories.find({ ancestorIds: id }).toArray(),
    async insert(doc: CategoryDoc): Promise<void> {
      // The new owner of a slug wins over an old redirect.
      await categories.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      await categories.insertOne(doc);
    },
    async update(id: ObjectId, version: number, set: Partial<CategoryDoc>, oldSlug: string | undefined): Promise<boolean> {
      if (oldSlug !== undefined && set.slug !== undefined) await categories.updateMany({ oldSlugs: set.slug, _id: { $ne: id } }, { $pull: { oldSlugs: set.slug } });
      const result = await categories.updateOne(
        { _id: id, version },
        { $set: set, $inc: { version: 1 }, ...(oldSlug !== undefined ? { $addToSet: { oldSlugs: oldSlug } } : {}) },
      );
      return result.modifiedCount === 1;
    },
    async setAncestors(id: ObjectId, ancestorIds: ObjectId[], at: Date): Promise<void> {
      await categories.updateOne({ _id: id }, { $set: { ancestorIds, updatedAt: at }, $inc: { version: 1 } });
    },
  };
}

async function uniqueSlug<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slugTaken' }]);
    throw error;
  }
}

/** The audit view of a category: ids as text so entries read well. */
function auditView(c: Pick<CategoryDoc, 'slug' | 'name' | 'description' | 'parentId' | 'sortOrder' | 'status'>): Record<string, unknown> {
  return { slug: c.slug, name: c.name, description: c.description, parentId: c.parentId?.toHexString() ?? null, sortOrder: c.sortOrder, status: c.status };
}

export interface CategoryEditorDeps {
  db: Db;
  cache: VersionedCache;
  audit: AuditSink;
  references: CategoryReferences;
  clock: () => Date;
}

export function createCategoryEditor({ db, cache, audit, references, clock }: CategoryEditorDeps) {
  const repository = createCategoryAdminRepository(db);

  /** The ancestors a category gets under `parentId`, or the field error that forbids it. */
  async function placement(parentId: ObjectId | null, self: CategoryDoc | null): Promise<{ ancestorIds: ObjectId[] } | { error: FieldError }> {
    if (parentId === null) return { ancestorIds: [] };
    const parent = await repository.byId(parentId);
    if (!parent) return { error: { field: 'parentId', messageKey: 'catalog.error.parent' } };
    if (self && (parent._id.equals(self._id) || parent.ancestorIds.some((a) => a.equals(self._id)))) {
      return { error: { field: 'parentId', messageKey: 'adminStructure.category.error.cycle' } };
    }
    const ancestorIds = [...parent.ancestorIds, parent._id];
    let height = 0;
    if (self) for (const d of await repository.descendants(self._id)) height = Math.max(height, d.ancestorIds.length - self.ancestorIds.length);
    if (ancestorIds.length + height > MAX_LEVEL) return { error: { field: 'parentId', messageKey: 'catalog.error.depth' } };
    return { ancestorIds };
  }

  return {
    list: () => repository.all(),
    byId: (id: ObjectId) => repository.byId(id),

    async create(actor: Actor, edit: CategoryEdit): Promise<CategoryDoc> {
      if (!isSlug(edit.slug)) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slug' }]);
      const placed = await placement(edit.parentId, null);
      if ('error' in placed) throw new ValidationError([placed.error]);
      const now = clock();
      const doc: CategoryDoc = { _id: new ObjectId(), oldSlugs: [], ...edit, ancestorIds: placed.ancestorIds, createdAt: now, updatedAt: now, version: 1 };
      await uniqueSlug(() => repository.insert(doc));
      await cache.invalidate();
      await audit.record({ actor, ip: actor.ip, action: 'category.create', entity: { type: 'category', id: doc._id.toHexString() }, before: null, after: auditView(doc) });
      return doc;
    },

    async save(actor: Actor, id: ObjectId, edit: CategoryEdit, expectedVersion: number): Promise<CategorySaveResult> {
      const current = await repository.byId(id);
      if (!current) throw new NotFoundError('No such category');
      if (current.version !== expectedVersion) return { kind: 'conflict', current };
      if (!isSlug(edit.slug)) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slug' }]);
      const placed = await placement(edit.parentId, current);
      if ('error' in placed) throw new ValidationError([placed.error]);
      const now = clock();
      const oldSlug = edit.slug !== current.slug ? current.slug : undefined;
      const set: Partial<CategoryDoc> = { ...edit, ancestorIds: placed.ancestorIds, updatedAt: now };
      const ok = await uniqueSlug(() => repository.update(id, expectedVersion, set, oldSlug));
      if (!ok) {
        const latest = await repository.byId(id);
        if (!latest) throw new NotFoundError('No such category');
        return { kind: 'conflict', current: latest };
      }
      const moved = (current.parentId?.toHexString() ?? null) !== (edit.parentId?.toHexString() ?? null);
      if (moved) {
        for (const d of await repository.descendants(id)) {
          const below = d.ancestorIds.slice(d.ancestorIds.findIndex((a) => a.equals(id)));
          await repository.setAncestors(d._id, [...placed.ancestorIds, ...below], now);
        }
      }
      await cache.invalidate();
      const doc: CategoryDoc = { ...current, ...set, oldSlugs: oldSlug ? [...new Set([...current.oldSlugs, oldSlug])] : current.oldSlugs, version: current.version + 1 };
      const diff = changedFields(auditView(current), auditView(doc));
      await audit.record({ actor, ip: actor.ip, action: 'category.update', entity: { type: 'category', id: id.toHexString() }, ...diff });
      return { kind: 'saved', doc };
    },

    /**
     * Deletes a category that holds nothing: while it has child categories or products it is refused
     * with the counts (the staff move or delete them first; nothing is moved silently). Only over the
     * version the page read. Once it is gone, the menu links to it and its places among the home page's
     * featured categories are removed, each change audited. They go after the delete, so a refused or
     * lost delete leaves them alone; a crash in between leaves references the shop already skips.
     */
    async remove(actor: Actor, id: ObjectId, expectedVersion: number): Promise<CategoryDeleteResult> {
      const current = await repository.byId(id);
      if (!current) throw new NotFoundError('No such category');
      if (current.version !== expectedVersion) return { kind: 'conflict' };
      const [children, products] = await Promise.all([repository.children(id), repository.productsIn(id)]);
      if (children > 0 || products > 0) return { kind: 'inUse', children, products };
      if (!(await repository.remove(id, expectedVersion))) return { kind: 'conflict' };
      await cache.invalidate();
      await audit.record({ actor, ip: actor.ip, action: 'category.delete', entity: { type: 'category', id: id.toHexString() }, before: auditView(current), after: null });
      const { menuLinks, homeSections, changes } = await references.drop(id);
      for (const change of changes) await audit.record({ actor, ip: actor.ip, ...change });
      return { kind: 'deleted', menuLinks, homeSections };
    },
  };
}

export type CategoryEditor = ReturnType<typeof createCategoryEditor>;
