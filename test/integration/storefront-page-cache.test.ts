import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeShop, storefrontModules } from './storefront-fixtures.js';

let t: TestApp;
let shop: Awaited<ReturnType<typeof makeShop>>;
beforeAll(async () => {
  t = await createTestApp({ modules: storefrontModules });
  shop = await makeShop(t.services);
});
afterAll(async () => {
  await t?.close();
});

describe('?lang= on every page (i18n plugin)', () => {
  it('wins over the cookie for that request, also on pages outside the storefront (404 page)', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'en' });
    agent.cookies.set('locale', 'pt-BR');
    const plain = await agent.get('/no-such-page');
    expect(plain.status).toBe(404);
    expect(plain.html().querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
    const es = await agent.get('/no-such-page?lang=es');
    expect(es.html().querySelector('html')?.getAttribute('lang')).toBe('es');
    // An unknown value is ignored: cookie, then Accept-Language, as usual.
    const bad = await agent.get('/no-such-page?lang=xx');
    expect(bad.html().querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
  });
});

describe('layout', () => {
  it('puts the SEO head and the one stylesheet in the base layout, once', async () => {
    const doc = (await new TestAgent(t.app).get('/c/clothing')).html();
    expect(doc.querySelectorAll('link[rel=canonical]')).toHaveLength(1);
    expect(doc.querySelectorAll('meta[name=description]')).toHaveLength(1);
    const sheets = doc.querySelectorAll('link[rel=stylesheet]').map((l) => l.getAttribute('href') ?? '');
    expect(sheets).toHaveLength(1);
    expect(sheets[0]).toMatch(/^\/assets\/css\/site\.[0-9a-f]+\.css$/);
    expect(doc.querySelector('title')?.text).toBe('Clothing · Vitrine');
  });

  it('shows database menu labels as text (label), never as translation keys', async () => {
    await t.services.cms.setMenu([
      { kind: 'url', url: '/c/clothing', label: { en: 'nav.home', es: 'Ropa y más' } },
      { kind: 'category', categoryId: shop.accessories._id, label: { en: 'Accessories & co' } },
    ]);
    const doc = (await new TestAgent(t.app).get('/pages/about')).html();
    expect(doc.querySelectorAll('.main-nav a').map((a) => a.text)).toEqual(['nav.home', 'Accessories & co']);
    const es = (await new TestAgent(t.app).get('/pages/about?lang=es')).html();
    expect(es.querySelector('.main-nav a')?.text).toBe('Ropa y más');
    expect(es.querySelector('.main-nav a')?.getAttribute('href')).toBe('/c/clothing?lang=es');
  });
});

describe('page cache', () => {
  it('gives every visitor their own CSRF token on the same page', async () => {
    const a = new TestAgent(t.app);
    const b = new TestAgent(t.app);
    const tokenOf = async (agent: TestAgent) =>
      (await agent.get('/p/blue-shirt')).html().querySelector('form.add-to-cart input[name=_csrf]')?.getAttribute('value');
    const [ta, tb] = [await tokenOf(a), await tokenOf(b)];
    expect(ta).toBeTruthy();
    expect(tb).toBeTruthy();
    expect(ta).not.toBe(tb);
    // The token works: the language form of a cached page posts.
    const page = await a.get('/p/blue-shirt');
    const res = await a.submitForm(page, 'form.language-form', { locale: 'es' });
    expect(res.status).toBe(303);
  });

  it('shows a flash to its visitor only, once, on a cached page', async () => {
    const other = new TestAgent(t.app, { 'accept-language': 'es' });
    await other.get('/c/clothing'); // in the cache now (Spanish)
    const agent = new TestAgent(t.app, { 'accept-language': 'en' });
    const page = await agent.get('/c/clothing?sort=name');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'es' });
    const after = await agent.follow(res);
    expect(after.url).toBe('/c/clothing?sort=name');
    expect(after.html().querySelector('.flash')?.text).toBe('La tienda ahora se muestra en español.');
    expect((await agent.get('/c/clothing?sort=name')).html().querySelector('.flash')).toBeNull();
    expect((await other.get('/c/clothing?sort=name')).html().querySelector('.flash')).toBeNull();
  });

  it('shows a staff change at once (the catalog cache is invalidated)', async () => {
    const before = await new TestAgent(t.app).get('/p/red-dress');
    expect(before.html().querySelector('h1')?.text).toBe('Red summer dress');
    await t.services.catalog.updateProduct(shop.dress._id, { title: { en: 'Crimson summer dress' } });
    const after = await new TestAgent(t.app).get('/p/red-dress');
    expect(after.html().querySelector('h1')?.text).toBe('Crimson summer dress');
    const list = await new TestAgent(t.app).get('/c/clothing');
    expect(list.html().querySelectorAll('.card-title').map((c) => c.text)).toContain('Crimson summer dress');
  });

  it('shows current stock on the product page within about a second', async () => {
    const stock = () => new TestAgent(t.app).get('/p/wool-scarf').then((p) => p.html().querySelector('.availability')?.text.trim());
    expect(await stock()).toBe('Only 4 left');
    // An order's reservation: a conditional $inc on the variant, no cache invalidation.
    await t.db.collection('products').updateOne({ _id: shop.scarf._id, 'variants.stock': { $gte: 4 } }, { $inc: { 'variants.$.stock': -4 } });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await stock()).toBe('Out of stock');
  });

  it('does not cache redirects or error pages', async () => {
    await t.services.catalog.updateCategory(shop.accessories._id, { slug: 'extras' });
    const moved = await new TestAgent(t.app).get('/c/accessories');
    expect(moved.status).toBe(301);
    expect(moved.location).toBe('/c/extras');
    const bad = await new TestAgent(t.app).get('/c/extras?min=abc');
    expect(bad.status).toBe(422);
    const good = await new TestAgent(t.app).get('/c/extras?min=1');
    expect(good.status).toBe(200);
    expect((await new TestAgent(t.app).get('/c/extras?min=abc')).status).toBe(422);
  });
});

describe('language form on a ?lang= page', () => {
  it('returns to the page without ?lang=, so the new choice shows', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/pages/about?lang=es');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'pt-BR' });
    expect(res.location).toBe('/pages/about');
    expect((await agent.follow(res)).html().querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
  });
});
