import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services.js';
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

describe('content pages', () => {
  it('renders a published page with its safe HTML, SEO description and language', async () => {
    const page = await new TestAgent(t.app).get('/pages/about');
    expect(page.status).toBe(200);
    const doc = page.html();
    expect(doc.querySelector('h1')?.text).toBe('About us');
    expect(doc.querySelector('article strong')?.text).toBe('good');
    expect(doc.querySelector('article a')?.getAttribute('href')).toBe('mailto:hi@example.com');
    expect(doc.querySelector('meta[name=description]')?.getAttribute('content')).toBe('Who we are and how we work.');
    const es = await new TestAgent(t.app).get('/pages/about?lang=es');
    expect(es.html().querySelector('h1')?.text).toBe('Sobre nosotros');
  });

  it('stores markdown as safe HTML: no raw HTML, no javascript: links', async () => {
    await t.services.cms.createPage({
      slug: 'tricky', title: { en: 'Tricky' },
      body: { en: '<script>alert(1)</script>\n\n[click](javascript:alert(1)) [data](data:text/html;base64,xx) [ok](/c/clothing) ![img](javascript:x)\n\n<img src=x onerror=alert(1)>' },
    });
    const page = await new TestAgent(t.app).get('/pages/tricky');
    const article = page.html().querySelector('article');
    expect(article?.querySelectorAll('script')).toHaveLength(0);
    expect(article?.querySelectorAll('img')).toHaveLength(0);
    expect(article?.querySelectorAll('a').map((a) => a.getAttribute('href'))).toEqual(['/c/clothing']);
    expect(article?.text).toContain('<script>alert(1)</script>');
  });

  it('hides drafts and pages scheduled for later (404), 301s from an old slug', async () => {
    await t.services.cms.createPage({ slug: 'draft-page', title: { en: 'Draft' }, body: { en: 'x' }, status: 'draft' });
    await t.services.cms.createPage({ slug: 'later', title: { en: 'Later' }, body: { en: 'x' }, publishAt: new Date(Date.now() + 3_600_000) });
    const agent = new TestAgent(t.app);
    expect((await agent.get('/pages/draft-page')).status).toBe(404);
    expect((await agent.get('/pages/later')).status).toBe(404);
    expect((await agent.get('/pages/nope')).status).toBe(404);
    await t.services.cms.updatePage(shop.about._id, { slug: 'about-us' });
    const moved = await agent.get('/pages/about');
    expect([moved.status, moved.location]).toEqual([301, '/pages/about-us']);
    await t.services.cms.updatePage(shop.about._id, { slug: 'about' });
  });
});

describe('home page and menu', () => {
  it('renders the sections stored in the database, and the menu as navigation', async () => {
    await t.services.cms.setHome([
      { kind: 'hero', heading: { en: 'Summer is here', es: 'Llegó el verano' }, text: { en: 'Light clothes.' }, link: { url: '/c/clothing', label: { en: 'Shop clothing' } } },
      { kind: 'featuredCategories', heading: { en: 'Browse' }, categoryIds: [shop.clothing._id, shop.hidden._id, shop.accessories._id] },
      { kind: 'featuredProducts', heading: { en: 'Picked for you' }, productIds: [shop.scarf._id, shop.draft._id, shop.dress._id] },
      { kind: 'richText', markdown: { en: 'Free shipping over **€50**.' } },
    ]);
    await t.services.cms.setMenu([
      { kind: 'category', categoryId: shop.clothing._id },
      { kind: 'page', pageId: shop.about._id, label: { en: 'Our story' } },
      { kind: 'category', categoryId: shop.hidden._id },
    ]);
    const page = await new TestAgent(t.app).get('/');
    expect(page.status).toBe(200);
    const doc = page.html();
    expect(doc.querySelector('.store-hero h2')?.text).toBe('Summer is here');
    expect(doc.querySelector('.store-hero a')?.getAttribute('href')).toBe('/c/clothing');
    expect(doc.querySelectorAll('.tile span').map((e) => e.text)).toEqual(['Clothing', 'Accessories']);
    expect(doc.querySelectorAll('.card-title').map((e) => e.text.trim())).toEqual(['Café scarf', 'Red summer dress']);
    expect(doc.querySelector('.prose strong')?.text).toBe('€50');
    expect(doc.querySelectorAll('.main-nav a').map((a) => [a.text, a.getAttribute('href')])).toEqual([['Clothing', '/c/clothing'], ['Our story', '/pages/about']]);
    expect(doc.querySelector('title')?.text).toBe('Vitrine');
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('http://localhost:3000/');
  });

  it('rejects javascript: links in the menu', async () => {
    await expect(t.services.cms.setMenu([{ kind: 'url', url: 'javascript:alert(1)', label: { en: 'x' } }])).rejects.toMatchObject({ status: 422 });
  });
});

describe('sitemap.xml', () => {
  it('lists published categories, products and pages with lastmod and hreflang alternates', async () => {
    const res = await t.app.inject('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    // Well-formed enough for a parser: no bare ampersands, every element closed.
    expect(res.body).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    const xml = parse(res.body, { lowerCaseTagName: false });
    const urlset = xml.querySelector('urlset');
    expect(urlset?.getAttribute('xmlns')).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const urls = xml.querySelectorAll('url');
    const locs = urls.map((u) => u.querySelector('loc')?.text);
    expect(locs).toEqual(
      expect.arrayContaining(['http://localhost:3000/', 'http://localhost:3000/c/clothing', 'http://localhost:3000/c/shirts', 'http://localhost:3000/p/blue-shirt', 'http://localhost:3000/pages/about']),
    );
    expect(locs).not.toContain('http://localhost:3000/p/secret-shirt');
    expect(locs).not.toContain('http://localhost:3000/c/hidden');
    expect(locs).not.toContain('http://localhost:3000/pages/draft-page');
    const shirt = urls.find((u) => u.querySelector('loc')?.text === 'http://localhost:3000/p/blue-shirt');
    expect(Number.isNaN(Date.parse(shirt?.querySelector('lastmod')?.text ?? ''))).toBe(false);
    const links = shirt?.getElementsByTagName('xhtml:link').map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')]);
    expect(links).toEqual([
      ['en', 'http://localhost:3000/p/blue-shirt?lang=en'],
      ['pt-BR', 'http://localhost:3000/p/blue-shirt?lang=pt-BR'],
      ['es', 'http://localhost:3000/p/blue-shirt?lang=es'],
      ['x-default', 'http://localhost:3000/p/blue-shirt'],
    ]);
  });
});

describe('catalog cache', () => {
  it('shows another process its changes within the check interval', async () => {
    // A second "process": its own services (own in-memory cache) on the same database.
    const other = createServices({ db: t.db });
    const before = await other.catalog.categoryTree();
    expect(before.bySlug('clothing')?.category.name.en).toBe('Clothing');
    await t.services.catalog.updateCategory(shop.clothing._id, { name: { en: 'Apparel' } });
    // The first service sees it at once (it invalidated its own cache)…
    expect((await t.services.catalog.categoryTree()).bySlug('clothing')?.category.name.en).toBe('Apparel');
    // …the other one once its version check runs again (at most 1 s later).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await other.catalog.categoryTree()).bySlug('clothing')?.category.name.en).toBe('Apparel');
    await t.services.catalog.updateCategory(shop.clothing._id, { name: { en: 'Clothing' } });
  });
});

describe('versioned cache', () => {
  it('serves cached values until the shared version moves, checking at most once per interval', async () => {
    const { createVersionedCache } = await import('../../src/modules/catalog/cache.js');
    let now = 0;
    const a = createVersionedCache({ db: t.db, name: 'test-cache', now: () => now });
    const b = createVersionedCache({ db: t.db, name: 'test-cache', now: () => now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await b.get('k', load)).toBe(1);
    expect(await b.get('k', load)).toBe(1);
    await a.invalidate();
    now = 999; // within the interval: b still trusts its cache
    expect(await b.get('k', load)).toBe(1);
    now = 1000;
    expect(await b.get('k', load)).toBe(2);
  });
});
