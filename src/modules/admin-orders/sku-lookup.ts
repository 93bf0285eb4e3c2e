import type { Db, ObjectId } from 'mongodb';

/**
 * SKU → variant id, for manual orders. A read of the catalog's `products` collection, kept here
 * only until the catalog offers it (requested in /work/briefs/REQUESTS.md: `stock.variantIdsBySku`,
 * with an index on `variants.sku`); everything else about the variant comes through the catalog's
 * stock store (readVariants), as the checkout reads it.
 */
export function createSkuLookup(db: Db) {
  const products = db.collection<{ _id: ObjectId; variants: { _id: ObjectId; sku: string }[] }>('products');
  return async function variantIdsBySku(skus: readonly string[]): Promise<Map<string, ObjectId>> {
    const wanted = new Set(skus);
    const found = new Map<string, ObjectId>();
    if (wanted.size === 0) return found;
    const docs = await products.find({ 'variants.sku': { $in: [...wanted] } }, { projection: { 'variants._id': 1, 'variants.sku': 1 } }).toArray();
    for (const p of docs) for (const v of p.variants) if (wanted.has(v.sku)) found.set(v.sku, v._id);
    return found;
  };
}

export type SkuLookup = ReturnType<typeof createSkuLookup>;
