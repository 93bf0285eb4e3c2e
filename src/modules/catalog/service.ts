import { MongoServerError, ObjectId, type Filter, type Sort } from 'mongodb';
import { ConflictError, ValidationError } from '../../lib/errors.js';
import { renderMarkdown } from '../../lib/markdown.js';
import type { Locale } from '../../i18n/locales.js';
import type { VersionedCache } from './cache.js';
import { buildCategoryTree, type CategoryNode, type CategoryTree } from './category-tree.js';
import { buildFacets, type Facets } from './facets.js';
import type { CatalogRepository, ProductCard, SearchHit } from './repository.js';
import { isSlug, mapTranslated, sortTitlesOf } from './translated.js';
import type { CategoryDoc, ProductDoc, Translated, Variant } from './types.js';
import { isVisible, visibleFilter } from './visibility.js';

export const PAGE_SIZE = 24;
export const SORTS = ['featured', 'newest', 'price-asc', 'price-desc', 'name'] as const;
export type SortKey = (typeof SORTS)[number];

export interface ListParams {
  sort: SortKey;
  page: number;
  /** Minor units, inclusive. */
  minPrice?: number;
  maxPrice?: number;
  inStockOnly: boolean;
  /** option code → accepted value codes. */
  options: Record<string, string[]>;
}

export interface ProductList {
  items: ProductCard[];
  total: number;
  page: number;
  pageCount: number;
}

export type CategoryInput = Pick<CategoryDoc, 'slug' | 'name'> & Partial<Pick<CategoryDoc, 'description' | 'parentId' | 'sortOrder' | 'status' | 'imageId'>>;
export type VariantInput = Omit<Variant, '_id'> & { _id?: ObjectId };
export type ProductInput = Pick<ProductDoc, 'slug' | 'title' | 'price'> &
  Partial<Pick<ProductDoc, 'description' | 'compareAtPrice' | 'images' | 'categoryIds' | 'tags' | 'options' | 'status' | 'featuredRank' | 'digital' | 'publishedAt'>> & {
    variants: VariantInput[];
  };

export type SlugLookup<T> = { kind: 'found'; value: T } | { kind: 'moved'; slug: string } | { kind: 'missing' };

export interface CatalogServiceDeps {
  repository: CatalogRepository;
  cache: VersionedCache;
  clock: () => Date;
}

const SORT_SPECS: Record<Exclude<SortKey, 'name'>, Sort> = {
  featured: { featuredRank: -1, _id: 1 },
  newest: { createdAt: -1, _id: -1 },
  'price-asc': { minPrice: 1, _id: 1 },
  'price-desc': { minPrice: -1, _id: 1 },
};

/** "name": alphabetical in the page's language, by the folded title the page shows (`sortTitles`). */
function sortSpec(sort: SortKey, locale: Locale): Sort {
  if (sort === 'name') return { [`sortTitles.${locale}`]: 1, _id: 1 };
  return SORT_SPECS[sort];
}

function checkSlug(slug: string): void {
  if (!isSlug(slug)) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slug' }]);
}

/** Duplicate slug (unique index) → 409 instead of 500. */
async function uniqueSlug<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) throw new ConflictError('Slug already used', { messageKey: 'catalog.error.slugTaken' });
    throw error;
  }
}

/**
 * Fields derived from the title and the variants, stored so lists can filter and sort on them with
 * an index. Every write of a product's title or variants sets them (create, update, the staff editor).
 */
export function derivedProductFields(
  title: ProductDoc['title'],
  price: ProductDoc['price'],
  variants: readonly Variant[],
): Required<Pick<ProductDoc, 'minPrice' | 'inStock' | 'totalStock' | 'sortTitles'>> {
  const prices = variants.map((v) => v.price?.amount ?? price.amount);
  return {
    minPrice: prices.length > 0 ? Math.min(...prices) : price.amount,
    inStock: variants.some((v) => v.stock > 0),
    totalStock: variants.reduce((n, v) => n + v.stock, 0),
    sortTitles: sortTitlesOf(title),
  };
}

export function createCatalogService({ repository, cache, clock }: CatalogServiceDeps) {
  const tree = (): Promise<CategoryTree> => cache.get('categoryTree', async () => buildCategoryTree(await repository.allCategories()));

  /**
   * The time storefront reads filter visibility with (scheduled publishing). It first makes sure the
   * cache expires when the next scheduled product appears, so whatever is cached from this read is
   * dropped then (and the page cache with it: its generation comes from this cache).
   */
  async function visibleAt(): Promise<Date> {
    const now = clock();
    await cache.get('schedule:next', async () => {
      const next = await repository.nextScheduled(now);
      if (next) cache.expireAt(next);
      return next;
    });
    return now;
  }

  function listFilter(ids: readonly ObjectId[], params: Omit<ListParams, 'sort' | 'page'>, now: Date): Filter<ProductDoc> {
    const filter: Record<string, unknown> = { ...visibleFilter(now), categoryIds: { $in: [...ids] } };
    const price: Record<string, number> = {};
    if (params.minPrice !== undefined) price.$gte = params.minPrice;
    if (params.maxPrice !== undefined) price.$lte = params.maxPrice;
    if (Object.keys(price).length > 0) filter.minPrice = price;
    // One $elemMatch: a single variant must have every chosen option value (and stock, if asked).
    const variant: Record<string, unknown> = {};
    for (const [code, values] of Object.entries(params.options)) if (values.length > 0) variant[`options.${code}`] = { $in: values };
    if (params.inStockOnly) {
      filter.inStock = true;
      if (Object.keys(variant).length > 0) variant.stock = { $gt: 0 };
    }
    if (Object.keys(variant).length > 0) filter.variants = { $elemMatch: variant };
    return filter as Filter<ProductDoc>;
  }

  return {
    /** Staff changed catalog or content data outside this service: drop cached reads everywhere. */
    invalidate: () => cache.invalidate(),
    categoryTree: tree,
    /** Every category, drafts included (the back office), in sort order. Not cached. */
    allCategories: () => repository.allCategories(),

    async createCategory(input: CategoryInput): Promise<CategoryDoc> {
      checkSlug(input.slug);
      const parentId = input.parentId ?? null;
      let ancestorIds: ObjectId[] = [];
      if (parentId !== null) {
        const parent = await repository.categoryById(parentId);
        if (!parent) throw new ValidationError([{ field: 'parentId', messageKey: 'catalog.error.parent' }]);
        ancestorIds = [...parent.ancestorIds, parent._id];
        // Three levels at most: a root, a child, a grandchild.
        if (ancestorIds.length > 2) throw new ValidationError([{ field: 'parentId', messageKey: 'catalog.error.depth' }]);
      }
      const now = clock();
      const doc: CategoryDoc = {
        _id: new ObjectId(), slug: input.slug, oldSlugs: [], parentId, ancestorIds, name: input.name,
        description: input.description ?? { en: '' }, sortOrder: input.sortOrder ?? 0, status: input.status ?? 'published',
        ...(input.imageId ? { imageId: input.imageId } : {}), createdAt: now, updatedAt: now, version: 1,
      };
      await uniqueSlug(() => repository.insertCategory(doc));
      await cache.invalidate();
      return doc;
    },

    /** Changes name, slug (the old one keeps answering with a 301), order or status. */
    async updateCategory(id: ObjectId, patch: Partial<Pick<CategoryDoc, 'slug' | 'name' | 'description' | 'sortOrder' | 'status'>>): Promise<void> {
      const current = await repository.categoryById(id);
      if (!current) throw new ValidationError([{ field: 'id', messageKey: 'catalog.error.parent' }]);
      if (patch.slug !== undefined) checkSlug(patch.slug);
      const oldSlug = patch.slug !== undefined && patch.slug !== current.slug ? current.slug : undefined;
      const ok = await uniqueSlug(() => repository.updateCategory(id, current.version, { ...patch, updatedAt: clock() }, oldSlug));
      if (!ok) throw new ConflictError('Category changed meanwhile');
      await cache.invalidate();
    },

    async createProduct(input: ProductInput): Promise<ProductDoc> {
      checkSlug(input.slug);
      const now = clock();
      const variants: Variant[] = input.variants.map((v) => ({ ...v, _id: v._id ?? new ObjectId() }));
      const description = input.description ?? { en: '' };
      const status = input.status ?? 'published';
      const doc: ProductDoc = {
        _id: new ObjectId(), slug: input.slug, oldSlugs: [], title: input.title, description,
        descriptionHtml: mapTranslated(description, renderMarkdown), price: input.price,
        ...(input.compareAtPrice ? { compareAtPrice: input.compareAtPrice } : {}),
        images: input.images ?? [], categoryIds: input.categoryIds ?? [], tags: input.tags ?? [], options: input.options ?? [],
        variants, status, featuredRank: input.featuredRank ?? 0, ...(input.digital ? { digital: input.digital } : {}),
        ...derivedProductFields(input.title, input.price, variants), createdAt: now, updatedAt: now,
        // A given publishedAt is kept even on a draft: the schedule applies once it is published.
        ...(input.publishedAt ? { publishedAt: input.publishedAt } : status === 'published' ? { publishedAt: now } : {}), version: 1,
      };
      await uniqueSlug(() => repository.insertProduct(doc));
      await cache.invalidate();
      return doc;
    },

    /** Replaces editable fields; derived ones (HTML, minPrice, inStock, totalStock, sortTitles) are recomputed. */
    async updateProduct(id: ObjectId, patch: Partial<ProductInput>): Promise<ProductDoc> {
      const current = await repository.productById(id);
      if (!current) throw new ValidationError([{ field: 'id', messageKey: 'catalog.error.product' }]);
      if (patch.slug !== undefined) checkSlug(patch.slug);
      const variants = patch.variants ? patch.variants.map((v) => ({ ...v, _id: v._id ?? new ObjectId() })) : current.variants;
      const { variants: _ignored, ...rest } = patch;
      const next: ProductDoc = { ...current, ...rest, variants, updatedAt: clock() };
      next.descriptionHtml = mapTranslated(next.description, renderMarkdown);
      Object.assign(next, derivedProductFields(next.title, next.price, variants));
      if (next.status === 'published' && !next.publishedAt) next.publishedAt = clock();
      const oldSlug = next.slug !== current.slug ? current.slug : undefined;
      const ok = await uniqueSlug(() => repository.replaceProduct(next, current.version, oldSlug));
      if (!ok) throw new ConflictError('Product changed meanwhile');
      await cache.invalidate();
      return { ...next, version: current.version + 1 };
    },

    async findCategory(slug: string): Promise<SlugLookup<CategoryNode>> {
      const t = await tree();
      const node = t.bySlug(slug);
      if (node) return { kind: 'found', value: node };
      const moved = t.movedFrom(slug);
      return moved ? { kind: 'moved', slug: moved } : { kind: 'missing' };
    },

    async listProducts(node: CategoryNode, params: ListParams, locale: Locale): Promise<ProductList> {
      const key = `list:${node.category._id.toHexString()}:${params.sort === 'name' ? locale : ''}:${JSON.stringify(params)}`;
      return cache.get(key, async () => {
        const filter = listFilter((await tree()).subtreeIds(node), params, await visibleAt());
        const [items, total] = await Promise.all([
          repository.listCards({ filter, sort: sortSpec(params.sort, locale), skip: (params.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
          repository.count(filter),
        ]);
        return { items, total, page: params.page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
      });
    },

    /** Choices for the filter form of a category: option values in use and the price range. */
    async facets(node: CategoryNode): Promise<Facets> {
      return cache.get(`facets:${node.category._id.toHexString()}`, async () => {
        const ids = (await tree()).subtreeIds(node);
        return buildFacets(await repository.facetSource(listFilter(ids, { inStockOnly: false, options: {} }, await visibleAt())));
      });
    },

    /** Not cached: stock must be current on the product page. */
    async findProduct(slug: string): Promise<SlugLookup<ProductDoc>> {
      const product = await repository.productBySlug(slug);
      const now = clock();
      if (product) return isVisible(product, now) ? { kind: 'found', value: product } : { kind: 'missing' };
      const moved = await repository.productByOldSlug(slug);
      return moved && isVisible(moved, now) ? { kind: 'moved', slug: moved.slug } : { kind: 'missing' };
    },

    async relatedProducts(product: ProductDoc, limit = 4): Promise<ProductCard[]> {
      return cache.get(`related:${product._id.toHexString()}`, async () =>
        repository.listCards({
          filter: { ...visibleFilter(await visibleAt()), categoryIds: { $in: product.categoryIds }, _id: { $ne: product._id } },
          sort: SORT_SPECS.featured,
          skip: 0,
          limit,
        }),
      );
    },

    async cardsByIds(ids: readonly ObjectId[]): Promise<ProductCard[]> {
      const key = `cards:${ids.map((i) => i.toHexString()).join(',')}`;
      return cache.get(key, async () => {
        const cards = await repository.cardsByIds(ids, await visibleAt());
        const order = new Map(ids.map((id, i) => [id.toHexString(), i]));
        return cards.sort((a, b) => (order.get(a._id.toHexString()) ?? 0) - (order.get(b._id.toHexString()) ?? 0));
      });
    },

    async search(text: string, page: number): Promise<{ items: SearchHit[]; total: number; pageCount: number }> {
      return cache.get(`search:${page}:${text}`, async () => {
        const now = await visibleAt();
        const [items, total] = await Promise.all([repository.search(text, (page - 1) * PAGE_SIZE, PAGE_SIZE, now), repository.searchCount(text, now)]);
        return { items, total, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
      });
    },

    /** SKU → product and variant ids (not cached: staff look up what they are about to sell). */
    variantsBySku: (skus: readonly string[]) => repository.variantsBySku(skus),

    /** Not cached (the route answers with a 5-minute max-age); reads visibility at this moment. */
    async sitemapProducts() {
      return repository.sitemapProducts(clock());
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
export type { Translated };
