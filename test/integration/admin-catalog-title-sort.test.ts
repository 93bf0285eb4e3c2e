import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFingerprint } from '../../src/modules/catalog/editor.js';
import type { ProductDoc, Translated } from '../../src/modules/catalog/types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb } from '../helpers/test-db.js';

/** The admin list's sort by title ignores case and accents: it walks the stored, folded `sortTitles.en`. */
describe('admin product list, sort by title', () => {
  let t: TestApp;
  const tag = `ts${new ObjectId().toHexString().slice(-6)}`;
  const actor = { id: new ObjectId().toHexString(), email: 'staff@example.com', ip: '127.0.0.1' };
  const ids = new Map<string, ObjectId>();

  beforeAll(async () => {
    t = await createTestApp();
    for (const [i, en] of ['Zebra chair', 'apple lamp', 'Élan vase', 'banana bowl', 'éclair mug'].entries()) {
      const p = await t.services.catalog.createProduct({
        slug: `${tag}-${i}`, title: { en }, price: { amount: 1000, currency: 'EUR' }, status: i % 2 === 0 ? 'published' : 'draft',
        variants: [{ sku: `${tag}-SKU-${i}`, options: {}, weight: 0, stock: i }],
      });
      ids.set(en, p._id);
    }
  });
  afterAll(async () => t?.close());

  const stored = async (id: ObjectId) => t.db.collection<ProductDoc>('products').findOne({ _id: id });
  /** Titles in list order: `q` '' walks the whole list (only this file's products), else a kept search. */
  const titles = async (dir: 1 | -1, q = '') =>
    (await t.services.adminCatalog.productList.list({ q, status: '', sort: 'title', dir, page: 1, perPage: 50 })).items.map((r) => r.title.en);
  const folded = ['apple lamp', 'banana bowl', 'éclair mug', 'Élan vase', 'Zebra chair'];

  it('lists titles in folded order, ascending and descending, walking the list or a search', async () => {
    for (const q of ['', tag]) {
      expect(await titles(1, q), q).toEqual(folded);
      expect(await titles(-1, q), q).toEqual([...folded].reverse());
    }
  });

  it('stores the folded title on a product created through the catalog service', async () => {
    expect((await stored(ids.get('Élan vase') as ObjectId))?.sortTitles).toEqual({ en: 'elan vase', 'pt-BR': 'elan vase', es: 'elan vase' });
    const p = await t.services.catalog.createProduct({
      slug: `${tag}-no-en`, title: { en: '', es: 'Árbol de pie' }, price: { amount: 500, currency: 'EUR' }, variants: [],
    });
    // Each language's key is the title shown in it: the Spanish one in Spanish, else the (empty) English one.
    expect((await stored(p._id))?.sortTitles).toEqual({ en: '', 'pt-BR': '', es: 'arbol de pie' });
    await t.services.catalog.updateProduct(p._id, { title: { en: 'Aardvark stand' } });
    expect((await stored(p._id))?.sortTitles).toEqual({ en: 'aardvark stand', 'pt-BR': 'aardvark stand', es: 'aardvark stand' });
    expect((await titles(1))[0]).toBe('Aardvark stand');
    await t.services.adminCatalog.products.bulk(actor, [p._id], 'delete');
    expect(await titles(1)).toEqual(folded);
  });

  it('moves a product when staff edit its title', async () => {
    const id = ids.get('Zebra chair') as ObjectId;
    const before = await stored(id);
    if (!before) throw new Error('product missing');
    const saved = await t.services.adminCatalog.products.save(actor, id, {
      slug: before.slug, title: { en: 'Ápex chair', es: 'Silla' }, description: before.description, price: before.price, categoryIds: [], tags: [], options: [],
      status: before.status, featuredRank: 0, images: [],
      variants: before.variants.map((v) => ({ _id: v._id, sku: v.sku, options: v.options, weight: v.weight, stock: v.stock, stockBase: v.stock })),
    }, { version: before.version, fingerprint: editFingerprint(before) });
    expect(saved.kind).toBe('saved');
    expect((await stored(id))?.sortTitles).toEqual({ en: 'apex chair', 'pt-BR': 'apex chair', es: 'silla' });
    const moved = ['Ápex chair', 'apple lamp', 'banana bowl', 'éclair mug', 'Élan vase'];
    expect(await titles(1)).toEqual(moved);
    expect(await titles(-1, tag)).toEqual([...moved].reverse());
  });

  it('is filled at start-up for products stored before it existed, and only for those', async () => {
    const testDb = await startTestDb();
    const products = testDb.database.db.collection<ProductDoc>('products');
    const base = (title: Record<string, unknown>, i: number) => ({
      _id: new ObjectId(), slug: `old-${i}-${new ObjectId().toHexString()}`, oldSlugs: [], title: title as Translated, description: { en: '' }, descriptionHtml: { en: '' },
      price: { amount: 100, currency: 'EUR' }, images: [], categoryIds: [], tags: [], options: [], variants: [],
      status: 'published' as const, featuredRank: 0, minPrice: 100, inStock: false, totalStock: 0, createdAt: new Date(), updatedAt: new Date(), version: 1,
    });
    const accented = base({ en: 'Ÿellow Öwl' }, 0);
    const noEnglish = base({ 'pt-BR': 'Ótimo', es: 'Árbol' }, 1);
    const kept = { ...base({ en: 'Kept' }, 2), sortTitles: { en: 'already here', 'pt-BR': 'ja aqui', es: 'ya aqui' } };
    // More than one batch of the backfill (500).
    const many = Array.from({ length: 1100 }, (_, i) => base({ en: `Many É${String(i).padStart(4, '0')}` }, i + 3));
    await products.insertMany([accented, noEnglish, kept, ...many]);
    const app = await createTestApp({ testDb });
    try {
      expect((await products.findOne({ _id: accented._id }))?.sortTitles).toEqual({ en: 'yellow owl', 'pt-BR': 'yellow owl', es: 'yellow owl' });
      expect((await products.findOne({ _id: noEnglish._id }))?.sortTitles).toEqual({ en: '', 'pt-BR': 'otimo', es: 'arbol' });
      expect((await products.findOne({ _id: kept._id }))?.sortTitles?.en).toBe('already here');
      expect(await products.countDocuments({ sortTitles: { $exists: false } })).toBe(0);
      expect(await products.countDocuments({ 'sortTitles.es': { $regex: '^many e\\d{4}$' } })).toBe(1100);
      expect(app.logs().some((l) => l.msg === 'sortTitles backfilled' && l.products === 1102)).toBe(true);
      expect(await app.services.adminCatalog.productList.backfillSortTitles()).toBe(0); // nothing left to fill
    } finally {
      await app.close();
      await testDb.close();
    }
  });
});
