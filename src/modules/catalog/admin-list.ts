import type { ObjectId } from 'mongodb';
import type { ProductRowDoc } from './admin-repository.js';
import type { VersionedCache } from './cache.js';
import type { Money, PublishStatus, Translated } from './types.js';

/**
 * The back office's product list over a compact in-memory snapshot of every product (a few hundred
 * bytes each), so a page of a 10,000-product catalog is searched, sorted and counted without a
 * database scan per request (the embedded server sorts without indexes). The snapshot is rebuilt
 * when the catalog cache is invalidated (any staff write, here or in another process within the
 * cache's check interval) and refreshed in the background when older than `maxAgeMs`. Stock moved
 * by orders does not invalidate the cache, so the rows of the page shown are re-read by id (one
 * primary-key query): what the page shows is current; only the order by stock may lag by maxAgeMs.
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
  /** Lower-case text searched by `q`: titles, slug, SKUs. */
  haystack: string;
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

interface Snapshot {
  generation: object;
  loadedAt: number;
  rows: AdminRow[];
  /** Ascending orders per sort key, computed on first use. */
  sorted: Map<AdminSort, AdminRow[]>;
}

function toRow(d: ProductRowDoc): AdminRow {
  const skus = d.variants.map((v) => v.sku);
  const titles = Object.values(d.title).join(' ');
  return {
    id: d._id, slug: d.slug, title: d.title, price: d.price, minPrice: d.minPrice, status: d.status, updatedAt: d.updatedAt,
    stock: d.variants.reduce((n, v) => n + v.stock, 0), skus, imageId: d.images[0]?.mediaId,
    haystack: `${titles} ${d.slug} ${skus.join(' ')}`.toLowerCase(),
  };
}

const COMPARE: Record<AdminSort, (a: AdminRow, b: AdminRow) => number> = {
  title: (a, b) => a.title.en.localeCompare(b.title.en, 'en', { sensitivity: 'base' }),
  price: (a, b) => a.minPrice - b.minPrice,
  stock: (a, b) => a.stock - b.stock,
  updated: (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime(),
};

export interface AdminListDeps {
  load: () => Promise<ProductRowDoc[]>;
  /** The current rows of a few products (those on the page). */
  fresh: (ids: readonly ObjectId[]) => Promise<ProductRowDoc[]>;
  cache: VersionedCache;
  maxAgeMs?: number;
  now?: () => number;
}

export function createAdminProductList({ load, fresh, cache, maxAgeMs = 60_000, now = Date.now }: AdminListDeps) {
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  function reload(generation: object): Promise<Snapshot> {
    loading ??= (async () => {
      try {
        const rows = (await load()).map(toRow);
        // Aged from when it is ready: a slow load under traffic must not start the next at once.
        const next: Snapshot = { generation, loadedAt: now(), rows, sorted: new Map() };
        snapshot = next;
        return next;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  async function current(): Promise<Snapshot> {
    const generation = await cache.get('adminProducts:generation', async () => ({}));
    if (!snapshot || snapshot.generation !== generation) return reload(generation);
    // Stale only by stock moved by orders: serve it, refresh behind.
    if (now() - snapshot.loadedAt > maxAgeMs && !loading) void reload(generation).catch(() => undefined);
    return snapshot;
  }

  function ordered(s: Snapshot, sort: AdminSort): AdminRow[] {
    let rows = s.sorted.get(sort);
    if (!rows) {
      // Ties broken by id so pages never overlap.
      rows = [...s.rows].sort((a, b) => COMPARE[sort](a, b) || a.id.toHexString().localeCompare(b.id.toHexString()));
      s.sorted.set(sort, rows);
    }
    return rows;
  }

  return {
    async list(query: AdminListQuery): Promise<AdminListPage> {
      const s = await current();
      let rows = ordered(s, query.sort);
      const q = query.q.trim().toLowerCase();
      if (q !== '' || query.status !== '') rows = rows.filter((r) => (q === '' || r.haystack.includes(q)) && (query.status === '' || r.status === query.status));
      const total = rows.length;
      const pages = Math.max(1, Math.ceil(total / query.perPage));
      const page = Math.min(query.page, pages);
      const start = (page - 1) * query.perPage;
      const slice =
        query.dir === 1
          ? rows.slice(start, start + query.perPage)
          : rows.slice(Math.max(0, total - start - query.perPage), total - start).reverse();
      const live = new Map((await fresh(slice.map((r) => r.id))).map((d) => [d._id.toHexString(), toRow(d)]));
      // Deleted since the snapshot: left out of the page.
      const items = slice.flatMap((r) => live.get(r.id.toHexString()) ?? []);
      return { items, total, page, pages };
    },
  };
}

export type AdminProductList = ReturnType<typeof createAdminProductList>;
