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
 * `backfillTotalStock` at start-up). Sorting by title walks the index on `sortTitles.en`, the English
 * title folded (case and accents ignored) by every write of a title (`backfillSortTitles` at
 * start-up; the storefront's sort by name reads the other languages). A search (`q`) matches a
 * substring, which no index serves (as on MongoDB, a scan): a narrow search keeps the ids it
 * matched (SEARCH_IDS_UP_TO), so its pages read only those. Every count and id list is kept in the catalog cache, which every staff write to
 * a product invalidates: they depend only on which products exist, their titles, slugs, SKUs and
 * status, which only those writes change (a page view then costs one query, not two). Orders change
 * stock, never these; the sort itself always runs in the database, so a stock order stays current.
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

/**
 * A search matching at most this many products keeps their ids (in the catalog cache, like the
 * counts), in each order asked for: a page of its results is then one read of that page's products.
 * Titles, prices and update times change only through staff writes, which empty the cache; stock
 * also changes with every order, so for the stock order only the matches are kept and the database
 * sorts them on each request. A broader search finds its matches close together in any order and
 * walks the sort's index like an unfiltered list.
 */
export const SEARCH_IDS_UP_TO = 2000;

type ListRepository = Pick<CatalogAdminRepository, 'listPage' | 'listCount' | 'matchingIds' | 'rowsByIds' | 'backfillTotalStock' | 'backfillSortTitles'>;

export function createAdminProductList(repository: ListRepository, cache?: VersionedCache) {
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => (cache ? cache.get(key, load) : load());
  const keyOf = (what: string, filter: AdminListFilter) => `adminProducts:${what}:${filter.status}:${filter.q.toLowerCase()}`;

  /** A page number within 1…pages, and the slice of a result that holds it. */
  const pageOf = (query: AdminListQuery, total: number) => {
    const pages = Math.max(1, Math.ceil(total / query.perPage));
    const page = Math.min(query.page, pages);
    return { pages, page, skip: (page - 1) * query.perPage };
  };

  async function searched(query: AdminListQuery, filter: AdminListFilter): Promise<AdminListPage | null> {
    if (query.sort !== 'stock') {
      const ordered = await cached(keyOf(`ids:${query.sort}:${query.dir}`, filter), () => repository.matchingIds(filter, SEARCH_IDS_UP_TO, query));
      if (ordered === null) return null;
      const { pages, page, skip } = pageOf(query, ordered.length);
      const rows = await repository.rowsByIds(ordered.slice(skip, skip + query.perPage));
      return { items: rows.map(toAdminRow), total: ordered.length, page, pages };
    }
    const ids = await cached(keyOf('ids', filter), () => repository.matchingIds(filter, SEARCH_IDS_UP_TO));
    if (ids === null) return null;
    const { pages, page, skip } = pageOf(query, ids.length);
    const rows = await repository.listPage({ ids }, query.sort, query.dir, skip, query.perPage);
    return { items: rows.map(toAdminRow), total: ids.length, page, pages };
  }

  return {
    async list(query: AdminListQuery): Promise<AdminListPage> {
      const filter: AdminListFilter = { q: query.q.trim(), status: query.status };
      const narrow = filter.q === '' ? null : await searched(query, filter);
      if (narrow) return narrow;
      const fetch = (page: number) => repository.listPage(filter, query.sort, query.dir, (page - 1) * query.perPage, query.perPage);
      // The page asked for and the count together; a page past the end (rare) is read again.
      const [total, rows] = await Promise.all([cached(keyOf('count', filter), () => repository.listCount(filter)), fetch(query.page)]);
      const { pages, page } = pageOf(query, total);
      const docs = page === query.page ? rows : await fetch(page);
      return { items: docs.map(toAdminRow), total, page, pages };
    },
    /** Start-up: products stored before `totalStock` existed get it (see the repository). */
    backfillTotalStock: () => repository.backfillTotalStock(),
    /** Start-up: products stored before `sortTitles` existed get it (see the repository). */
    backfillSortTitles: () => repository.backfillSortTitles(),
  };
}

export type AdminProductList = ReturnType<typeof createAdminProductList>;
