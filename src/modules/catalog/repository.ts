import type { Db, Filter, ObjectId, Sort } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { LOCALES } from '../../i18n/locales.js';
import type { CategoryDoc, ProductDoc } from './types.js';
import { visibleFilter } from './visibility.js';

export const CATEGORIES = 'categories';
export const PRODUCTS = 'products';

/** Text index over every language: a title match ranks above a tag, a tag above the description. */
const textWeights: Record<string, number> = { tags: 5 };
for (const l of LOCALES) {
  textWeights[`title.${l}`] = 10;
  textWeights[`description.${l}`] = 1;
}
const textKey = Object.fromEntries(Object.keys(textWeights).map((f) => [f, 'text' as const]));

export const catalogIndexes: readonly IndexDeclaration[] = [
  { collection: CATEGORIES, key: { slug: 1 }, options: { unique: true, name: 'slug_unique' } },
  { collection: CATEGORIES, key: { oldSlugs: 1 } },
  { collection: CATEGORIES, key: { parentId: 1, sortOrder: 1 } },
  { collection: PRODUCTS, key: { slug: 1 }, options: { unique: true, name: 'slug_unique' } },
  { collection: PRODUCTS, key: { oldSlugs: 1 } },
  // List pages: visible products of some categories, in each sort order (equality, sort, then the
  // publishedAt range of scheduled publishing: visibility.ts).
  { collection: PRODUCTS, key: { status: 1, categoryIds: 1, featuredRank: -1, publishedAt: 1 } },
  { collection: PRODUCTS, key: { status: 1, categoryIds: 1, createdAt: -1, publishedAt: 1 } },
  { collection: PRODUCTS, key: { status: 1, categoryIds: 1, minPrice: 1, publishedAt: 1 } },
  // "name": one per language, on the folded title shown in it (service.ts sortSpec).
  ...LOCALES.map((l): IndexDeclaration => ({ collection: PRODUCTS, key: { status: 1, categoryIds: 1, [`sortTitles.${l}`]: 1, publishedAt: 1 } })),
  // The next scheduled product (when the cached lists expire) and the sitemap.
  { collection: PRODUCTS, key: { status: 1, publishedAt: 1 } },
  // SKU lookups (manual orders, CSV import). Not unique: the editor refuses a taken SKU, and a unique
  // multikey index would conflict with the same key declared by the back office (admin-repository.ts).
  { collection: PRODUCTS, key: { 'variants.sku': 1 } },
  {
    collection: PRODUCTS,
    key: textKey,
    // 'none': no English stemming or stop words applied to Portuguese and Spanish text.
    options: { name: 'product_text', weights: textWeights, default_language: 'none', language_override: 'textLanguage' },
  },
];

/** Fields a product card needs (lists, search, related): never the descriptions or variants. */
export const CARD_PROJECTION = {
  slug: 1, title: 1, price: 1, compareAtPrice: 1, minPrice: 1, inStock: 1, images: { $slice: 1 }, updatedAt: 1,
} as const;
export type ProductCard = Pick<ProductDoc, '_id' | 'slug' | 'title' | 'price' | 'compareAtPrice' | 'minPrice' | 'inStock' | 'images' | 'updatedAt'>;

export type SearchHit = ProductCard & { score: number; description: ProductDoc['description']; tags: string[] };

export type FacetSource = Pick<ProductDoc, 'options' | 'variants' | 'minPrice' | 'price'>;

export interface ListQuery {
  filter: Filter<ProductDoc>;
  sort: Sort;
  skip: number;
  limit: number;
}

export function createCatalogRepository(db: Db) {
  const categories = db.collection<CategoryDoc>(CATEGORIES);
  const products = db.collection<ProductDoc>(PRODUCTS);

  return {
    async allCategories(): Promise<CategoryDoc[]> {
      return categories.find({}).sort({ sortOrder: 1, slug: 1 }).toArray();
    },
    async categoryById(id: ObjectId): Promise<CategoryDoc | null> {
      return categories.findOne({ _id: id });
    },
    async insertCategory(doc: CategoryDoc): Promise<void> {
      await categories.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      await categories.insertOne(doc);
    },
    /** Optimistic update: only when `version` still matches. Returns false when it did not. */
    async updateCategory(id: ObjectId, version: number, set: Partial<CategoryDoc>, oldSlug?: string): Promise<boolean> {
      if (set.slug !== undefined) await categories.updateMany({ oldSlugs: set.slug }, { $pull: { oldSlugs: set.slug } });
      const result = await categories.updateOne(
        { _id: id, version },
        { $set: set, $inc: { version: 1 }, ...(oldSlug ? { $addToSet: { oldSlugs: oldSlug } } : {}) },
      );
      return result.modifiedCount === 1;
    },

    async productBySlug(slug: string): Promise<ProductDoc | null> {
      return products.findOne({ slug });
    },
    async productByOldSlug(slug: string): Promise<Pick<ProductDoc, 'slug' | 'status' | 'publishedAt'> | null> {
      return products.findOne({ oldSlugs: slug }, { projection: { slug: 1, status: 1, publishedAt: 1 } });
    },
    async productById(id: ObjectId): Promise<ProductDoc | null> {
      return products.findOne({ _id: id });
    },
    async insertProduct(doc: ProductDoc): Promise<void> {
      await products.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      await products.insertOne(doc);
    },
    async replaceProduct(doc: ProductDoc, expectedVersion: number, oldSlug?: string): Promise<boolean> {
      if (oldSlug !== undefined) await products.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      const oldSlugs = oldSlug && !doc.oldSlugs.includes(oldSlug) ? [...doc.oldSlugs, oldSlug] : doc.oldSlugs;
      const result = await products.replaceOne({ _id: doc._id, version: expectedVersion }, { ...doc, oldSlugs, version: expectedVersion + 1 });
      return result.modifiedCount === 1;
    },

    async listCards(query: ListQuery): Promise<ProductCard[]> {
      return products
        .find(query.filter, { projection: CARD_PROJECTION })
        .sort(query.sort)
        .skip(query.skip)
        .limit(query.limit)
        .toArray() as Promise<ProductCard[]>;
    },
    async count(filter: Filter<ProductDoc>): Promise<number> {
      return products.countDocuments(filter);
    },
    /** Options and price range of the products a filter form offers choices for. */
    async facetSource(filter: Filter<ProductDoc>): Promise<FacetSource[]> {
      return products
        .find(filter, { projection: { options: 1, 'variants.options': 1, minPrice: 1, 'price.currency': 1 } })
        .toArray() as unknown as Promise<FacetSource[]>;
    },
    async cardsByIds(ids: readonly ObjectId[], now: Date): Promise<ProductCard[]> {
      if (ids.length === 0) return [];
      return products.find({ _id: { $in: [...ids] }, ...visibleFilter(now) }, { projection: CARD_PROJECTION }).toArray() as Promise<ProductCard[]>;
    },
    async search(text: string, skip: number, limit: number, now: Date): Promise<SearchHit[]> {
      return products
        .find(
          { $text: { $search: text }, ...visibleFilter(now) },
          { projection: { ...CARD_PROJECTION, description: 1, tags: 1, score: { $meta: 'textScore' } } },
        )
        .sort({ score: { $meta: 'textScore' }, _id: 1 })
        .skip(skip)
        .limit(limit)
        .toArray() as unknown as Promise<SearchHit[]>;
    },
    async searchCount(text: string, now: Date): Promise<number> {
      return products.countDocuments({ $text: { $search: text }, ...visibleFilter(now) });
    },
    /** The earliest `publishedAt` after `now` of a published product: when the visible set changes next. */
    async nextScheduled(now: Date): Promise<Date | null> {
      const doc = await products.findOne(
        { status: 'published', publishedAt: { $gt: now } },
        { projection: { _id: 0, publishedAt: 1 }, sort: { publishedAt: 1 } },
      );
      return doc?.publishedAt ?? null;
    },
    /** SKU → its product and variant ids, for the SKUs that exist (drafts included). */
    async variantsBySku(skus: readonly string[]): Promise<Map<string, { productId: ObjectId; variantId: ObjectId }>> {
      const wanted = new Set(skus);
      const found = new Map<string, { productId: ObjectId; variantId: ObjectId }>();
      if (wanted.size === 0) return found;
      const docs = await products.find({ 'variants.sku': { $in: [...wanted] } }, { projection: { 'variants._id': 1, 'variants.sku': 1 } }).toArray();
      for (const p of docs) for (const v of p.variants) if (wanted.has(v.sku)) found.set(v.sku, { productId: p._id, variantId: v._id });
      return found;
    },
    async sitemapProducts(now: Date): Promise<Pick<ProductDoc, 'slug' | 'updatedAt'>[]> {
      return products.find(visibleFilter(now), { projection: { _id: 0, slug: 1, updatedAt: 1 } }).sort({ slug: 1 }).toArray();
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
