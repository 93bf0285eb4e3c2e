import type { Db, ObjectId } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { Money, ProductDoc, Translated } from './types.js';
import { isVisible } from './visibility.js';

/**
 * Stock of product variants, changed only by conditional updates (never read-modify-write).
 *
 * Every change is recorded in a ledger entry on the same product document, in the same atomic
 * update (`stockLedger`, keyed e.g. `reserve:<orderId>:<variantId>`). That makes each change
 * idempotent and each undo exactly-once: a reservation is released only while its entry exists,
 * and the release removes the entry. A start-up reconciliation reads the open entries to repair
 * placements interrupted by a crash. Entries are removed once the owning order is settled, so the
 * array only holds in-flight work. The product's `totalStock` (the sum, for the admin list's sort)
 * is `$inc`ed by the same update as the variant's stock, so the two never disagree.
 */

export const PRODUCTS_COLLECTION = 'products';

/**
 * Cart and checkout find variants by id (readVariants) on every add-to-cart and placement: without
 * this multikey index that is a scan of every product. Declared by the storefront module.
 */
export const stockIndexes: readonly IndexDeclaration[] = [{ collection: PRODUCTS_COLLECTION, key: { 'variants._id': 1 } }];

export interface StockLedgerEntry {
  key: string;
  variantId: ObjectId;
  qty: number;
  at: Date;
}

interface StockProductDoc extends ProductDoc {
  stockLedger?: StockLedgerEntry[];
}

export interface StockMove {
  /** Unique per change, e.g. `reserve:<orderId>:<variantId>`. */
  key: string;
  productId: ObjectId;
  variantId: ObjectId;
  qty: number;
}

/** What the cart and checkout need to know about a variant, read fresh each time. */
export interface VariantView {
  productId: ObjectId;
  variantId: ObjectId;
  slug: string;
  title: Translated;
  sku: string;
  /** Option labels in product option order, e.g. ["M", "Blue"]. */
  optionLabels: Translated[];
  price: Money;
  stock: number;
  published: boolean;
  weight: number;
  imageId: ObjectId | undefined;
  digital: { fileId: ObjectId; fileName: string; maxDownloads: number } | undefined;
}

function optionLabels(product: ProductDoc, options: Record<string, string>): Translated[] {
  const labels: Translated[] = [];
  for (const option of product.options) {
    const value = option.values.find((v) => v.code === options[option.code]);
    if (value) labels.push(value.label);
  }
  return labels;
}

export interface StockStoreOptions {
  /**
   * Called when a product's `inStock` list flag flipped (sold out, or back in stock): product lists
   * and cards cached from the catalog show it, so the owner drops them (e.g. catalog cache invalidate).
   * Plain stock changes do not call it: lists show no counts, and product pages live a second.
   */
  onListChange?: () => Promise<void>;
}

/** Which way a change can move the `inStock` flag: taking units can only sell out, adding only restore. */
type Direction = 'down' | 'up';

export function createStockStore(db: Db, clock: () => Date = () => new Date(), options: StockStoreOptions = {}) {
  const products = db.collection<StockProductDoc>(PRODUCTS_COLLECTION);

  /**
   * Keeps the denormalised `inStock` list flag in step. The update is conditional and idempotent, so
   * concurrent calls settle on the truth; only the flip a change can cause is checked (one round trip).
   * (`version` is bumped by every stock change, so a staff edit based on an older read fails with a
   * conflict instead of writing old stock back.)
   */
  async function refreshInStock(productId: ObjectId, direction: Direction): Promise<void> {
    const r =
      direction === 'down'
        ? await products.updateOne({ _id: productId, inStock: true, 'variants.stock': { $not: { $gt: 0 } } }, { $set: { inStock: false } })
        : await products.updateOne({ _id: productId, inStock: false, 'variants.stock': { $gt: 0 } }, { $set: { inStock: true } });
    if (r.modifiedCount === 1) await options.onListChange?.();
  }

  return {
    async readVariants(variantIds: readonly ObjectId[]): Promise<VariantView[]> {
      if (variantIds.length === 0) return [];
      const docs = await products.find({ 'variants._id': { $in: [...variantIds] } }, { projection: { stockLedger: 0, descriptionHtml: 0, description: 0 } }).toArray();
      const wanted = new Set(variantIds.map((id) => id.toHexString()));
      const now = clock();
      const views: VariantView[] = [];
      for (const p of docs) {
        for (const v of p.variants) {
          if (!wanted.has(v._id.toHexString())) continue;
          views.push({
            productId: p._id,
            variantId: v._id,
            slug: p.slug,
            title: p.title,
            sku: v.sku,
            optionLabels: optionLabels(p, v.options),
            price: v.price ?? p.price,
            stock: v.stock,
            // A product scheduled for later cannot be bought before it is shown.
            published: isVisible(p, now),
            weight: v.weight,
            imageId: p.images[0]?.mediaId,
            digital: p.digital,
          });
        }
      }
      return views;
    },

    /** Takes `qty` units if that many are in stock; false otherwise (or if this key already ran). */
    async reserve(move: StockMove): Promise<boolean> {
      const r = await products.updateOne(
        { _id: move.productId, 'stockLedger.key': { $ne: move.key }, variants: { $elemMatch: { _id: move.variantId, stock: { $gte: move.qty } } } },
        { $inc: { 'variants.$[v].stock': -move.qty, totalStock: -move.qty, version: 1 }, $push: { stockLedger: { key: move.key, variantId: move.variantId, qty: move.qty, at: clock() } } },
        { arrayFilters: [{ 'v._id': move.variantId }] },
      );
      if (r.modifiedCount === 1) await refreshInStock(move.productId, 'down');
      return r.modifiedCount === 1;
    },

    /** Gives back what the entry `key` took, exactly once (no entry → nothing happens, false). */
    async release(key: string, productId: ObjectId): Promise<boolean> {
      const doc = await products.findOne({ _id: productId, 'stockLedger.key': key }, { projection: { stockLedger: 1 } });
      const entry = doc?.stockLedger?.find((e) => e.key === key);
      if (!entry) return false;
      const r = await products.updateOne(
        { _id: productId, stockLedger: { $elemMatch: { key, qty: entry.qty } } },
        { $inc: { 'variants.$[v].stock': entry.qty, totalStock: entry.qty, version: 1 }, $pull: { stockLedger: { key } } },
        { arrayFilters: [{ 'v._id': entry.variantId }] },
      );
      if (r.modifiedCount === 1) await refreshInStock(productId, 'up');
      return r.modifiedCount === 1;
    },

    /** Puts units back (cancelled order), at most once per key: the entry marks it done. */
    async restock(move: StockMove): Promise<boolean> {
      const r = await products.updateOne(
        { _id: move.productId, 'stockLedger.key': { $ne: move.key }, 'variants._id': move.variantId },
        { $inc: { 'variants.$[v].stock': move.qty, totalStock: move.qty, version: 1 }, $push: { stockLedger: { key: move.key, variantId: move.variantId, qty: move.qty, at: clock() } } },
        { arrayFilters: [{ 'v._id': move.variantId }] },
      );
      if (r.modifiedCount === 1) await refreshInStock(move.productId, 'up');
      return r.modifiedCount === 1;
    },

    /** Forgets ledger entries whose owner is settled; the stock stays as it is. */
    async forget(keys: readonly string[], productIds: readonly ObjectId[]): Promise<void> {
      if (keys.length === 0) return;
      await products.updateMany({ _id: { $in: [...productIds] } }, { $pull: { stockLedger: { key: { $in: [...keys] } } } });
    },

    /** Open ledger entries (in-flight or interrupted work), oldest first. */
    async openEntries(olderThan: Date): Promise<{ productId: ObjectId; entry: StockLedgerEntry }[]> {
      const rows = await products
        .aggregate<{ _id: ObjectId; e: StockLedgerEntry }>([
          { $match: { 'stockLedger.0': { $exists: true } } },
          { $unwind: '$stockLedger' },
          { $match: { 'stockLedger.at': { $lt: olderThan } } },
          { $project: { _id: 1, e: '$stockLedger' } },
          { $sort: { 'e.at': 1 } },
        ])
        .toArray();
      return rows.map((r) => ({ productId: r._id, entry: r.e }));
    },

    /**
     * A staff stock adjustment: adds `delta` (may be negative) to what the variant has now, whatever
     * orders did meanwhile. Refused (false) when it would go below zero. No ledger entry: nothing to undo.
     */
    async adjust(productId: ObjectId, variantId: ObjectId, delta: number): Promise<boolean> {
      if (delta === 0) return true;
      const r = await products.updateOne(
        { _id: productId, variants: { $elemMatch: { _id: variantId, stock: { $gte: Math.max(0, -delta) } } } },
        { $inc: { 'variants.$[v].stock': delta, totalStock: delta, version: 1 } },
        { arrayFilters: [{ 'v._id': variantId }] },
      );
      if (r.modifiedCount === 1) await refreshInStock(productId, delta < 0 ? 'down' : 'up');
      return r.modifiedCount === 1;
    },

    async stockOf(productId: ObjectId, variantId: ObjectId): Promise<number | undefined> {
      const doc = await products.findOne({ _id: productId }, { projection: { variants: 1 } });
      return doc?.variants.find((v) => v._id.equals(variantId))?.stock;
    },
  };
}

export type StockStore = ReturnType<typeof createStockStore>;
