import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockStore } from '../../src/modules/catalog/stock.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb } from '../helpers/test-db.js';

/** A product's totalStock (the admin list's sort by stock) stays the sum of its variants' stock. */
describe('product totalStock', () => {
  let t: TestApp;
  const actor = { id: new ObjectId().toHexString(), email: 'staff@example.com', ip: '127.0.0.1' };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const read = async (id: ObjectId) => {
    const doc = await t.db.collection<ProductDoc>('products').findOne({ _id: id });
    if (!doc) throw new Error('product missing');
    return { total: doc.totalStock, sum: doc.variants.reduce((n, v) => n + v.stock, 0), doc };
  };

  const product = (stocks: number[]) => {
    const tag = new ObjectId().toHexString().slice(-8);
    return t.services.catalog.createProduct({
      slug: `total-${tag}`, title: { en: `Total ${tag}` }, price: { amount: 1000, currency: 'EUR' },
      variants: stocks.map((stock, i) => ({ sku: `TS-${tag}-${i}`, options: {}, weight: 0, stock })),
    });
  };

  it('is the sum when a product is created, and follows every stock change of the stock store', async () => {
    const p = await product([5, 3]);
    expect(await read(p._id)).toMatchObject({ total: 8, sum: 8 });
    const [a, b] = p.variants;
    if (!a || !b) throw new Error('variants missing');
    const stock = createStockStore(t.db);
    const check = async (expected: number) => {
      const { total, sum } = await read(p._id);
      expect(sum).toBe(expected);
      expect(total).toBe(expected);
    };
    expect(await stock.reserve({ key: 'reserve:o1:a', productId: p._id, variantId: a._id, qty: 2 })).toBe(true);
    await check(6);
    expect(await stock.reserve({ key: 'reserve:o1:a', productId: p._id, variantId: a._id, qty: 2 })).toBe(false); // same key: once
    expect(await stock.reserve({ key: 'reserve:o2:b', productId: p._id, variantId: b._id, qty: 4 })).toBe(false); // only 3
    await check(6);
    expect(await stock.release('reserve:o1:a', p._id)).toBe(true);
    await check(8);
    expect(await stock.reserve({ key: 'reserve:o3:b', productId: p._id, variantId: b._id, qty: 3 })).toBe(true);
    await check(5);
    expect(await stock.restock({ key: 'restock:o3:b', productId: p._id, variantId: b._id, qty: 3 })).toBe(true);
    expect(await stock.restock({ key: 'restock:o3:b', productId: p._id, variantId: b._id, qty: 3 })).toBe(false);
    await check(8);
    expect(await stock.adjust(p._id, a._id, -5)).toBe(true);
    expect(await stock.adjust(p._id, a._id, -1)).toBe(false); // would go below zero
    await check(3);
    expect(await stock.adjust(p._id, b._id, 10)).toBe(true);
    await check(13);
  });

  it('is the sum after a staff save that adjusts stock, adds and removes variants', async () => {
    const created = await t.services.adminCatalog.products.create(actor, {
      slug: `edit-${new ObjectId().toHexString().slice(-8)}`, title: { en: 'Edited' }, description: { en: '' }, price: { amount: 900, currency: 'EUR' },
      categoryIds: [], tags: [], options: [], status: 'draft', featuredRank: 0, images: [],
      variants: [
        { sku: `ED-${new ObjectId().toHexString().slice(-8)}`, options: {}, weight: 0, stock: 4 },
        { sku: `ED-${new ObjectId().toHexString().slice(-8)}`, options: {}, weight: 0, stock: 6 },
      ],
    });
    const { doc: before, total } = await read(created.doc._id);
    expect(total).toBe(10);
    const [keep, drop] = before.variants;
    if (!keep || !drop) throw new Error('variants missing');
    const base = { version: before.version, fingerprint: (await import('../../src/modules/catalog/editor.js')).editFingerprint(before) };
    const saved = await t.services.adminCatalog.products.save(actor, before._id, {
      slug: before.slug, title: before.title, description: before.description, price: before.price, categoryIds: [], tags: [], options: [],
      status: 'draft', featuredRank: 0, images: [],
      variants: [
        { _id: keep._id, sku: keep.sku, options: {}, weight: 0, stock: 9, stockBase: 4 },
        { sku: `ED-${new ObjectId().toHexString().slice(-8)}`, options: {}, weight: 0, stock: 2, stockBase: 0 },
      ],
    }, base);
    expect(saved.kind).toBe('saved');
    expect(await read(before._id)).toMatchObject({ total: 11, sum: 11 });
  });

  it('is filled at start-up for products stored before it existed, and only for those', async () => {
    const testDb = await startTestDb();
    const products = testDb.database.db.collection<ProductDoc>('products');
    const base = (stocks: number[]) => ({
      _id: new ObjectId(), slug: `old-${new ObjectId().toHexString()}`, oldSlugs: [], title: { en: 'Old' }, description: { en: '' }, descriptionHtml: { en: '' },
      price: { amount: 100, currency: 'EUR' }, images: [], categoryIds: [], tags: [], options: [],
      variants: stocks.map((stock, i) => ({ _id: new ObjectId(), sku: `OLD-${new ObjectId().toHexString()}-${i}`, options: {}, stock, weight: 0 })),
      status: 'published' as const, featuredRank: 0, minPrice: 100, inStock: true, createdAt: new Date(), updatedAt: new Date(), version: 1,
    });
    const old = base([2, 7, 0]);
    const empty = base([]);
    const current = { ...base([1]), totalStock: 1 };
    await products.insertMany([old, empty, current]);
    const app = await createTestApp({ testDb });
    try {
      expect((await products.findOne({ _id: old._id }))?.totalStock).toBe(9);
      expect((await products.findOne({ _id: empty._id }))?.totalStock).toBe(0);
      expect((await products.findOne({ _id: current._id }))?.totalStock).toBe(1);
      expect(await app.services.adminCatalog.productList.backfillTotalStock()).toBe(0); // nothing left to fill
    } finally {
      await app.close();
      await testDb.close();
    }
  });
});
