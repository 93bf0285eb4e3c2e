import type { ObjectId } from 'mongodb';
import type { AdminListFilter, CatalogAdminRepository, ProductRowDoc } from './admin-repository.js';
import type { VersionedCache } from './cache.js';
import type { Money, PublishStatus, Translated } from './types.js';

/**
 * The back office's product list, one page per request straight from the database: a filter
 * (search text, status), a sort served by an index (title, price, stock, updated: see
 * adminCatalogIndexes; ties broken by _id so pages never overlap), skip + limit, and a count. Only
 * the listed fields are read. Sorting by stock walks the index on `totalStock`, the sum that
 * stock.ts keeps in step with every change (products older than the field get it from
 * `backfillTotalStock` at start-up). A search (`q`) matches a substring, which no index serves (as
 * on MongoDB, a scan). Every count, searched or not, is kept in the catalog cache, which every staff
 * write to a product invalidates: a count depends only on which products exist, their titles, slugs,
 * SKUs and status, which only those writes change (a page view then costs one query, not two).
 */

export const ADMIN_SORTS = ['title', 'price', 'stock', 'updated'] as const;
export type AdminSort = (typeof ADMIN_SORTS)[number];
export const STATUS_FILTERS = ['', 'published', 'draft'] as const;

export interface AdminRow {
  id: ObjectId;
  slug: string;
  title: Translated;
  price: Money;
  minPrice: number;
  stock: number;
  skus: string[];
  status: PublishStatus;
  updatedAt: Date;
  imageId: ObjectId | undefined;
}

export interface AdminListQuery {
  q: string;
  status: (typeof STATUS_FILTERS)[number];
  sort: AdminSort;
  dir: 1 | -1;
  page: number;
  perPage: number;
}

export interface AdminListPage {
  items: AdminRow[];
  total: number;
  page: number;
  pages: number;
}

export function toAdminRow(d: ProductRowDoc): AdminRow {
  return {
    id: d._id, slug: d.slug, title: d.title, price: d.price, minPrice: d.minPrice, status: d.status, updatedAt: d.updatedAt,
    stock: d.variants.reduce((n, v) => n + v.stock, 0), skus: d.variants.map((v) => v.sku), imageId: d.images[0]?.mediaId,
  };
}

export function createAdminProductList(repository: Pick<CatalogAdminRepository, 'listPage' | 'listCount' | 'backfillTotalStock'>, cache?: VersionedCache) {
  const count = (filter: AdminListFilter): Promise<number> =>
    !cache ? repository.listCount(filter) : cache.get(`adminProducts:count:${filter.status}:${filter.q.toLowerCase()}`, () => repository.listCount(filter));
  return {
    async list(query: AdminListQuery): Promise<AdminListPage> {
      const filter: AdminListFilter = { q: query.q.trim(), status: query.status };
      const fetch = (page: number) => repository.listPage(filter, query.sort, query.dir, (page - 1) * query.perPage, query.perPage);
      // The page asked for and the count together; a page past the end (rare) is read again.
      const [total, rows] = await Promise.all([count(filter), fetch(query.page)]);
      const pages = Math.max(1, Math.ceil(total / query.perPage));
      const page = Math.min(query.page, pages);
      const docs = page === query.page ? rows : await fetch(page);
      return { items: docs.map(toAdminRow), total, page, pages };
    },
    /** Start-up: products stored before `totalStock` existed get it (see the repository). */
    backfillTotalStock: () => repository.backfillTotalStock(),
  };
}

export type AdminProductList = ReturnType<typeof createAdminProductList>;
