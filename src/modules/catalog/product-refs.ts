import type { Db, ObjectId } from 'mongodb';
import { PRODUCTS } from './repository.js';
import type { ProductDoc } from './types.js';

/**
 * Products named by staff in a form (home page "featured products"): by slug or by a variant SKU,
 * drafts included, and back again from ids to a readable reference.
 */
export function createProductRefs(db: Db) {
  const products = db.collection<ProductDoc>(PRODUCTS);
  return {
    /** The ids in the order given, each once, and the references that matched nothing. */
    async resolve(refs: readonly string[]): Promise<{ ids: ObjectId[]; unknown: string[] }> {
      if (refs.length === 0) return { ids: [], unknown: [] };
      const found = await products
        .find({ $or: [{ slug: { $in: [...refs] } }, { 'variants.sku': { $in: [...refs] } }] }, { projection: { slug: 1, 'variants.sku': 1 } })
        .toArray();
      const ids: ObjectId[] = [];
      const unknown: string[] = [];
      for (const ref of refs) {
        const hit = found.find((p) => p.slug === ref) ?? found.find((p) => p.variants.some((v) => v.sku === ref));
        if (!hit) unknown.push(ref);
        else if (!ids.some((id) => id.equals(hit._id))) ids.push(hit._id);
      }
      return { ids, unknown };
    },
    /** id (hex) → slug, for showing stored references in a form. */
    async slugs(ids: readonly ObjectId[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const found = await products.find({ _id: { $in: [...ids] } }, { projection: { slug: 1 } }).toArray();
      return new Map(found.map((p) => [p._id.toHexString(), p.slug]));
    },
  };
}

export type ProductRefs = ReturnType<typeof createProductRefs>;
