import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminProductList } from '../../src/modules/catalog/admin-list.js';
import { createCatalogAdminRepository } from '../../src/modules/catalog/admin-repository.js';
import { createStockStore } from '../../src/modules/catalog/stock.js';
import { sortTitlesOf } from '../../src/modules/catalog/translated.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The admin product list reads one page from the database: filter, index-served sort, skip/limit, count. */
describe('admin product list queries', () => {
  let t: TestApp;
  const tag = `L${new ObjectId().toHexString().slice(-6)}`;

  beforeAll(async () => {
    t = await createTestApp();
    const now = Date.now();
    const title = (i: number) => ({ en: `${tag} Item ${String(i).padStart(2, '0')}`, es: `Artículo ${i}` });
    const docs = Array.from({ length: 30 }, (_, i) => ({
      _id: new ObjectId(), slug: `${tag.toLowerCase()}-item-${i}`, oldSlugs: [], title: title(i), sortTitles: sortTitlesOf(title(i)),
      description: { en: '' }, price: { amount: 100 + ((i * 7) % 30), currency: 'EUR' }, minPrice: 100 + ((i * 7) % 30), images: [], categoryIds: [], tags: [], options: [],
      variants: [{ _id: new ObjectId(), sku: `${tag}-SKU-${i}`, options: {}, stock: (i * 5) % 11, weight: 0 }], totalStock: (i * 5) % 11,
      status: i % 3 === 0 ? 'draft' : 'published', featuredRank: 0, inStock: true, createdAt: new Date(now - i * 1000), updatedAt: new Date(now - i * 1000), version: 1,
    }));
    await t.db.collection('products').insertMany(docs as unknown as ProductDoc[]);
  });
  afterAll(async () => t?.close());

  const list = (q: Partial<Parameters<TestApp['services']['adminCatalog']['productList']['list']>[0]>) =>
    t.services.adminCatalog.productList.list({ q: tag, status: '', sort: 'price', dir: 1, page: 1, perPage: 7, ...q });

  it('pages through a sort without overlap or gap, both directions, ties broken by id', async () => {
    for (const sort of ['price', 'title', 'updated', 'stock'] as const) {
      for (const dir of [1, -1] as const) {
        const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => list({ sort, dir, page })));
        expect(pages[0]?.total).toBe(30);
        expect(pages[0]?.pages).toBe(5);
        const rows = pages.flatMap((p) => p.items);
        expect(new Set(rows.map((r) => r.id.toHexString())).size, `${sort} ${dir}`).toBe(30);
        const key = (r: (typeof rows)[number]) => (sort === 'price' ? r.minPrice : sort === 'stock' ? r.stock : sort === 'title' ? sortTitlesOf(r.title).en : r.updatedAt.getTime());
        const keys = rows.map(key);
        expect(keys, `${sort} ${dir}`).toEqual([...keys].sort((a, b) => (a < b ? -dir : a > b ? dir : 0)));
      }
    }
  });

  it('searches titles in any language, slugs and SKUs ignoring case; filters by status; clamps the page', async () => {
    expect((await list({ q: `${tag.toLowerCase()}-sku-1` })).total).toBe(11); // SKU-1, SKU-10…19
    expect((await list({ q: 'artículo 2' })).items.every((r) => r.title.es?.startsWith('Artículo 2'))).toBe(true);
    expect((await list({ q: `${tag}-item-2`.toUpperCase() })).total).toBe(11);
    expect((await list({ q: `${tag} (x` })).total).toBe(0); // regex characters are plain text
    const drafts = await list({ status: 'draft', page: 99 });
    expect(drafts.total).toBe(10);
    expect(drafts.page).toBe(2);
    expect(drafts.items.map((r) => r.status)).toEqual(['draft', 'draft', 'draft']);
  });

  it('counts a search again after a staff edit changes what matches', async () => {
    expect((await list({ q: `${tag.toLowerCase()}-sku-4` })).total).toBe(1); // cached from here on
    const one = await t.db.collection<ProductDoc>('products').findOne({ slug: `${tag.toLowerCase()}-item-4` });
    if (!one) throw new Error('missing');
    const actor = { id: 'x', email: 'x@example.com', ip: '127.0.0.1', role: 'staff' as const };
    await t.services.adminCatalog.products.bulk(actor, [one._id], 'delete');
    expect((await list({})).total).toBe(29);
    expect((await list({ q: `${tag.toLowerCase()}-sku-4` })).total).toBe(0);
  });

  it('keeps a search current when orders change stock (the sort runs in the database, the matches are kept)', async () => {
    const byStock = async () => (await list({ q: `${tag}-SKU-2`, sort: 'stock', dir: -1, perPage: 20 })).items.map((r) => r.slug);
    const before = await byStock(); // SKU-2, SKU-20…29: cached matches from here on
    expect(before).toHaveLength(11);
    const last = await t.db.collection<ProductDoc>('products').findOne({ slug: before.at(-1) });
    const variant = last?.variants[0];
    if (!last || !variant) throw new Error('missing');
    expect(await createStockStore(t.db).adjust(last._id, variant._id, 50)).toBe(true); // no staff cache bump
    expect((await byStock())[0]).toBe(last.slug);
  });

  it('walks the sort for a search broader than the kept id list, with the same pages', async () => {
    const repository = createCatalogAdminRepository(t.db);
    // The same list with a kept id list of at most 5: every search here is "broad".
    const broad = createAdminProductList({ ...repository, matchingIds: (filter) => repository.matchingIds(filter, 5) });
    for (const sort of ['price', 'title', 'stock'] as const) {
      const query = { q: tag.toLowerCase(), status: '' as const, sort, dir: 1 as const, perPage: 7 };
      for (const page of [1, 3, 5]) {
        const walked = await broad.list({ ...query, page });
        const kept = await list({ ...query, page });
        expect(walked.total).toBe(kept.total);
        expect(walked.items.map((r) => r.slug), `${sort} p${page}`).toEqual(kept.items.map((r) => r.slug));
      }
    }
    expect(await repository.matchingIds({ q: tag, status: '' }, 5)).toBeNull();
    expect(await repository.matchingIds({ q: `${tag}-SKU-7`, status: '' }, 5)).toHaveLength(1);
  });
});
