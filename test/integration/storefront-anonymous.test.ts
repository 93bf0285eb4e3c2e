import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSIONS_COLLECTION } from '../../src/db/session-store.js';
import { createVersionedCache } from '../../src/modules/catalog/cache.js';
import { createStockStore } from '../../src/modules/catalog/stock.js';
import { MAX_FLASHES } from '../../src/plugins/flash.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeShop } from './storefront-fixtures.js';

/** Performance rules for visitors who only read (H21): no cookie, no session, cheap caches. */
let t: TestApp;
let shop: Awaited<ReturnType<typeof makeShop>>;
beforeAll(async () => {
  t = await createTestApp({
    extraModules: [
      {
        name: 'flash-flood',
        routes: async (site) => {
          site.post('/test/flash-flood', { config: { csrf: false } }, async (_request, reply) => {
            for (let i = 0; i < 8; i++) reply.flash('info', `flood.${i}`);
            reply.flash('info', 'flood.7');
            return reply.code(303).redirect('/');
          });
        },
      },
    ],
  });
  shop = await makeShop(t.services);
});
afterAll(async () => {
  await t?.close();
});

const setCookies = (headers: Record<string, unknown>) => ([] as string[]).concat((headers['set-cookie'] as string[] | string | undefined) ?? []);

describe('a visitor who only reads', () => {
  it('gets pages without any cookie and without a session being stored', async () => {
    const before = await t.db.collection(SESSIONS_COLLECTION).countDocuments();
    for (const url of ['/', '/c/clothing', '/search?q=scarf', '/pages/about']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(setCookies(res.headers), url).toEqual([]);
    }
    expect(await t.db.collection(SESSIONS_COLLECTION).countDocuments()).toBe(before);
  });

  it('gets a CSRF cookie and token only on a page with a POST form (the product page)', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/p/wool-scarf');
    expect(setCookies(page.headers).map((c) => c.split('=')[0])).toEqual(['_csrf']);
    expect(page.html().querySelector('form.add-to-cart input[name=_csrf]')?.getAttribute('value')).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(page.html().querySelector('form.language-form input[name=_csrf]')).toBeNull();
  });

  it('switches language with the footer GET form: cookie, flash, back to the page', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'en' });
    const page = await agent.get('/c/clothing');
    const form = page.html().querySelector('form.language-form');
    expect(form?.getAttribute('method')).toBe('get');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'es' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/c/clothing');
    expect(agent.cookies.get('locale')).toBe('es');
    const after = await agent.follow(res);
    expect(after.html().querySelector('html')?.getAttribute('lang')).toBe('es');
    expect(after.html().querySelector('.flash')).not.toBeNull();
    const away = await agent.get(`/locale?locale=es&returnTo=${encodeURIComponent('//evil.example/')}`);
    expect(away.location).toBe('/');
  });
});

describe('sessions of clients that never load the redirect target', () => {
  it(`keep at most ${MAX_FLASHES} flash messages, newest last, without duplicates`, async () => {
    const agent = new TestAgent(t.app);
    await agent.post('/test/flash-flood', {});
    await agent.post('/test/flash-flood', {});
    const id = decodeURIComponent(agent.cookies.get('sid') ?? '').split('.')[0];
    const doc = await t.db.collection<{ _id: string; data: { flash?: { key: string }[] } }>(SESSIONS_COLLECTION).findOne({ _id: id });
    expect(doc?.data.flash?.map((f) => f.key)).toEqual(['flood.3', 'flood.4', 'flood.5', 'flood.6', 'flood.7']);
  });
});

describe('caches', () => {
  it('keeps the site settings in memory; seeding drops the copy', async () => {
    const first = await t.services.site.getSettings();
    await t.db.collection('settings').updateOne({ _id: 'site' as never }, { $set: { shopName: 'Written behind its back' } }, { upsert: true });
    expect((await t.services.site.getSettings()).shopName).toBe(first.shopName);
    await t.services.site.ensureDefaults();
    expect((await t.services.site.getSettings()).shopName).toBe('Written behind its back');
  });

  it('drops cached catalog lists when an order sells a product out or stock comes back, not on other changes', async () => {
    const cache = createVersionedCache({ db: t.db, name: 'h21-stock-test' });
    let drops = 0;
    const stock = createStockStore(t.db, () => new Date(), { onListChange: async () => { drops++; await cache.invalidate(); } });
    const variant = shop.scarf.variants[0];
    if (!variant) throw new Error('fixture without variant');
    const fill = () => cache.get('list', async () => 'cached');
    const move = (key: string, qty: number) => ({ key, productId: shop.scarf._id, variantId: variant._id, qty });

    await fill();
    expect(await stock.reserve(move('r1', 1))).toBe(true); // 4 → 3: still in stock
    expect(drops).toBe(0);
    expect(cache.size()).toBe(1);
    expect(await stock.reserve(move('r2', 3))).toBe(true); // 3 → 0: sold out
    expect(drops).toBe(1);
    expect(cache.size()).toBe(0);
    expect((await t.db.collection('products').findOne({ _id: shop.scarf._id }))?.inStock).toBe(false);

    await fill();
    expect(await stock.release('r2', shop.scarf._id)).toBe(true); // back in stock
    expect(drops).toBe(2);
    expect(cache.size()).toBe(0);
    expect((await t.db.collection('products').findOne({ _id: shop.scarf._id }))?.inStock).toBe(true);
  });

  it('finds variants by id through an index (no scan of every product per add-to-cart)', async () => {
    const indexes = await t.db.collection('products').indexes();
    expect(indexes.some((i) => Object.keys(i.key).join() === 'variants._id')).toBe(true);
  });
});
