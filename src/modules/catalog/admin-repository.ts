import type { Db, Filter, ObjectId } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { LOCALES } from '../../i18n/locales.js';
import type { AdminSort } from './admin-list.js';
import { PRODUCTS } from './repository.js';
import { sortTitlesOf } from './translated.js';
import type { ProductDoc } from './types.js';

/**
 * The back office's reads and writes of `products` (the catalog module's collection): compact
 * rows for the list, conditional `$set` of editable fields (never `stock` or `stockLedger`),
 * bulk status changes. Stock itself changes only through stock.ts.
 */

/** What one row of the admin list needs (a page reads only these). */
export const ROW_PROJECTION = {
  slug: 1, title: 1, price: 1, minPrice: 1, status: 1, updatedAt: 1, 'variants.sku': 1, 'variants.stock': 1, images: { $slice: 1 },
} as const;
export type ProductRowDoc = Pick<ProductDoc, '_id' | 'slug' | 'title' | 'price' | 'minPrice' | 'status' | 'updatedAt' | 'images'> & {
  variants: Pick<ProductDoc['variants'][number], 'sku' | 'stock'>[];
};

export const adminCatalogIndexes: readonly IndexDeclaration[] = [
  // CSV import upserts by SKU.
  { collection: PRODUCTS, key: { 'variants.sku': 1 } },
  // The admin list's sorts, each walked in either direction with _id as the tie-breaker.
  { collection: PRODUCTS, key: { updatedAt: -1, _id: -1 } },
  { collection: PRODUCTS, key: { minPrice: 1, _id: 1 } },
  { collection: PRODUCTS, key: { 'sortTitles.en': 1, _id: 1 } },
  // The sort by title walked the raw English title before sortTitles existed.
  { collection: PRODUCTS, key: { 'title.en': 1, _id: 1 }, retired: true },
  { collection: PRODUCTS, key: { totalStock: 1, _id: 1 } },
];

/**
 * The stored field each sort of the admin list orders by (title: the English title the list shows,
 * folded so case and accents do not split the order, the storefront's English sort key; stock: the
 * sum kept by stock.ts).
 */
const SORT_FIELD: Record<AdminSort, string> = { title: 'sortTitles.en', price: 'minPrice', stock: 'totalStock', updated: 'updatedAt' };

/** Products given `sortTitles` per bulk write of the start-up backfill. */
const BACKFILL_BATCH = 500;

export interface AdminListFilter {
  /** Text found anywhere in a title (any language), the slug or a SKU, ignoring case. */
  q: string;
  status: '' | ProductDoc['status'];
}

function escapeRegex(text: string): string {
  // A NUL byte is refused inside a regex by MongoDB (error 51091): written as the escape \x00 instead.
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

function listFilter({ q, status }: AdminListFilter): Filter<ProductDoc> {
  const filter: Filter<ProductDoc> = {};
  if (status !== '') filter.status = status;
  if (q !== '') {
    const regex = { $regex: escapeRegex(q), $options: 'i' };
    filter.$or = [...LOCALES.map((l) => ({ [`title.${l}`]: regex })), { slug: regex }, { 'variants.sku': regex }];
  }
  return filter;
}

/** The fields a staff edit may `$set` (stock and the stock ledger are never among them). */
export type EditableSet = Partial<Omit<ProductDoc, '_id' | 'createdAt' | 'version' | 'oldSlugs'>>;

export function createCatalogAdminRepository(db: Db) {
  const products = db.collection<ProductDoc>(PRODUCTS);
  const rowsOf = (filter: Filter<ProductDoc>) => products.find(filter, { projection: ROW_PROJECTION });
  return {
    /** One page of the admin list, in the sort's order (ties by _id). */
    async listPage(filter: AdminListFilter | { ids: readonly ObjectId[] }, sort: AdminSort, dir: 1 | -1, skip: number, limit: number): Promise<ProductRowDoc[]> {
      const where = 'ids' in filter ? { _id: { $in: [...filter.ids] } } : listFilter(filter);
      return rowsOf(where).sort({ [SORT_FIELD[sort]]: dir, _id: dir }).skip(skip).limit(limit).toArray() as unknown as Promise<ProductRowDoc[]>;
    },
    /** The ids of every product the filter matches (in a sort's order if given), or null when there are more than `max`. */
    async matchingIds(filter: AdminListFilter, max: number, order?: { sort: AdminSort; dir: 1 | -1 }): Promise<ObjectId[] | null> {
      const cursor = products.find(listFilter(filter), { projection: { _id: 1 } });
      if (order) cursor.sort({ [SORT_FIELD[order.sort]]: order.dir, _id: order.dir });
      const docs = await cursor.limit(max + 1).toArray();
      return docs.length > max ? null : docs.map((d) => d._id);
    },
    /** The rows of these products, in the order of `ids` (a product deleted since is left out). */
    async rowsByIds(ids: readonly ObjectId[]): Promise<ProductRowDoc[]> {
      const rows = (await rowsOf({ _id: { $in: [...ids] } }).toArray()) as unknown as ProductRowDoc[];
      const at = new Map(ids.map((id, i) => [id.toHexString(), i]));
      return rows.sort((a, b) => (at.get(a._id.toHexString()) ?? 0) - (at.get(b._id.toHexString()) ?? 0));
    },
    /**
     * Gives `totalStock` to products written before it existed (run at start-up, before requests:
     * a stock `$inc` on a product without it would start the sum from zero). One atomic pipeline
     * update per document, only where it is missing: running it again, or in several processes, is harmless.
     */
    async backfillTotalStock(): Promise<number> {
      const r = await products.updateMany({ totalStock: { $exists: false } }, [{ $set: { totalStock: { $sum: '$variants.stock' } } }]);
      return r.modifiedCount;
    },
    /**
     * Gives `sortTitles` to products written before it existed (run at start-up, before requests: the
     * admin list's and the storefront's sorts by title would put them first). Folding needs JavaScript, so not a pipeline update:
     * the titles are read in batches and each write still requires the field to be missing, so a
     * product saved meanwhile (which sets it) keeps its own, and several processes may run this at once.
     */
    async backfillSortTitles(): Promise<number> {
      const cursor = products.find({ sortTitles: { $exists: false } }, { projection: { title: 1 } }).batchSize(BACKFILL_BATCH);
      let filled = 0;
      let batch: Pick<ProductDoc, '_id' | 'title'>[] = [];
      const write = async () => {
        if (batch.length === 0) return;
        const r = await products.bulkWrite(
          batch.map((d) => ({ updateOne: { filter: { _id: d._id, sortTitles: { $exists: false } }, update: { $set: { sortTitles: sortTitlesOf(d.title) } } } })),
          { ordered: false },
        );
        filled += r.modifiedCount;
        batch = [];
      };
      for await (const doc of cursor) {
        batch.push(doc);
        if (batch.length >= BACKFILL_BATCH) await write();
      }
      await write();
      return filled;
    },
    /** How many products the list's filter matches (no filter: the collection's count). */
    async listCount(filter: AdminListFilter): Promise<number> {
      const where = listFilter(filter);
      return Object.keys(where).length === 0 ? products.estimatedDocumentCount() : products.countDocuments(where);
    },
    /** The whole document without the stock ledger (it belongs to orders). */
    async byId(id: ObjectId): Promise<ProductDoc | null> {
      return products.findOne({ _id: id }, { projection: { stockLedger: 0 } });
    },
    async bySku(sku: string): Promise<ProductDoc | null> {
      return products.findOne({ 'variants.sku': sku }, { projection: { stockLedger: 0 } });
    },
    async slugTaken(slug: string, except?: ObjectId): Promise<boolean> {
      const doc = await products.findOne({ slug }, { projection: { _id: 1 } });
      return doc !== null && (except === undefined || !doc._id.equals(except));
    },
    async skusTaken(skus: readonly string[], except?: ObjectId): Promise<string[]> {
      if (skus.length === 0) return [];
      const docs = await products.find({ 'variants.sku': { $in: [...skus] } }, { projection: { 'variants.sku': 1 } }).toArray();
      const wanted = new Set(skus);
      return docs.filter((d) => !except || !d._id.equals(except)).flatMap((d) => d.variants.map((v) => v.sku).filter((s) => wanted.has(s)));
    },
    /**
     * Compare-and-swap on `version`: every stock change bumps it too, so the `variants` written here
     * (built from the stock read at that version) can never put back an old stock figure.
     */
    async setIfVersion(id: ObjectId, version: number, set: EditableSet, oldSlug?: string, unset: readonly string[] = []): Promise<boolean> {
      if (set.slug !== undefined) await products.updateMany({ oldSlugs: set.slug }, { $pull: { oldSlugs: set.slug } });
      const r = await products.updateOne(
        { _id: id, version },
        {
          $set: set,
          $inc: { version: 1 },
          ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : {}),
          ...(oldSlug ? { $addToSet: { oldSlugs: oldSlug } } : {}),
        },
      );
      return r.modifiedCount === 1;
    },
    async pushImage(id: ObjectId, image: ProductDoc['images'][number], at: Date): Promise<boolean> {
      const r = await products.updateOne({ _id: id }, { $push: { images: image }, $set: { updatedAt: at }, $inc: { version: 1 } });
      return r.matchedCount === 1;
    },
    /** Sets the digital file; returns the one it replaced (null: none), or undefined when there is no such product. */
    async setDigital(id: ObjectId, digital: NonNullable<ProductDoc['digital']>, at: Date): Promise<ProductDoc['digital'] | null | undefined> {
      const previous = await products.findOneAndUpdate({ _id: id }, { $set: { digital, updatedAt: at }, $inc: { version: 1 } }, { returnDocument: 'before', projection: { digital: 1 } });
      return previous === null ? undefined : (previous.digital ?? null);
    },
    async setStatus(ids: readonly ObjectId[], status: ProductDoc['status'], at: Date): Promise<ObjectId[]> {
      const changed = await products.find({ _id: { $in: [...ids] }, status: { $ne: status } }, { projection: { _id: 1 } }).toArray();
      const set: Record<string, unknown> = { status, updatedAt: at };
      await products.updateMany({ _id: { $in: changed.map((d) => d._id) } }, { $set: set, $inc: { version: 1 } });
      if (status === 'published') await products.updateMany({ _id: { $in: changed.map((d) => d._id) }, publishedAt: { $exists: false } }, { $set: { publishedAt: at } });
      return changed.map((d) => d._id);
    },
    /** Deletes products with no open stock reservation (an order in flight still needs its ledger). */
    async deleteIdle(ids: readonly ObjectId[]): Promise<{ deleted: ObjectId[]; busy: ObjectId[] }> {
      const docs = await products.find({ _id: { $in: [...ids] } }, { projection: { _id: 1, stockLedger: 1 } }).toArray();
      const deleted: ObjectId[] = [];
      const busy: ObjectId[] = [];
      for (const d of docs as (ProductDoc & { stockLedger?: unknown[] })[]) {
        const r = await products.deleteOne({ _id: d._id, 'stockLedger.0': { $exists: false } });
        (r.deletedCount === 1 ? deleted : busy).push(d._id);
      }
      return { deleted, busy };
    },
    async titlesOf(ids: readonly ObjectId[]): Promise<Pick<ProductDoc, '_id' | 'slug' | 'status'>[]> {
      return products.find({ _id: { $in: [...ids] } }, { projection: { slug: 1, status: 1 } }).toArray();
    },
    /** Every product, for the CSV export (a cursor: the whole catalog is never held at once). */
    exportCursor() {
      return products.find({}, { projection: { stockLedger: 0, descriptionHtml: 0 } }).sort({ slug: 1 });
    },
  };
}

export type CatalogAdminRepository = ReturnType<typeof createCatalogAdminRepository>;
