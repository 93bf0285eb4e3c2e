import type { HTMLElement } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/i18n/locales.js';
import { fold } from '../../src/lib/fold.js';
import { formatMoney } from '../../src/lib/money.js';
import type { CategoryDoc, ProductDoc } from '../../src/modules/catalog/types.js';
import { pick } from '../../src/modules/catalog/translated.js';
import type { HomeDoc, PageDoc } from '../../src/modules/cms/types.js';
import { mediaUrl } from '../../src/modules/media/picture.js';
import { HOME_TEXT } from '../../src/seed/demo/pages.js';
import { parseSeedArgs, seedCommand } from '../../src/seed/command.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The storefront over the demo shop that `npm run seed` creates (seeded once: it takes seconds). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedCommand({ db: t.db, services: t.services, config: t.config, log: () => undefined }, parseSeedArgs([]));
}, 90_000);
afterAll(async () => {
  await t?.close();
});

const categories = () => t.db.collection<CategoryDoc>('categories');
const products = () => t.db.collection<ProductDoc>('products');

async function category(slug: string): Promise<CategoryDoc> {
  const doc = await categories().findOne({ slug });
  if (!doc) throw new Error(`no category ${slug}`);
  return doc;
}

/** Published products of a category and its descendants, straight from the db. */
async function productsUnder(cat: CategoryDoc): Promise<ProductDoc[]> {
  const ids = [cat._id, ...(await categories().find({ ancestorIds: cat._id, status: 'published' }).toArray()).map((c) => c._id)];
  const now = new Date();
  const docs = await products().find({ status: 'published', categoryIds: { $in: ids } }).toArray();
  return docs.filter((p) => !(p.publishedAt instanceof Date && p.publishedAt > now));
}

/** The lowest price a visitor can pay for the product (variants may override the price). */
const effectivePrice = (p: ProductDoc): number => Math.min(...p.variants.map((v) => v.price?.amount ?? p.price.amount));

interface Card {
  slug: string;
  title: string;
  price: string;
  img: HTMLElement | null;
}

function cardsOf(page: Page): Card[] {
  return page.html().querySelectorAll('.card').map((li) => ({
    slug: new URL(li.querySelector('a.card-link')?.getAttribute('href') ?? '', 'http://x').pathname.replace(/^\/p\//, ''),
    title: li.querySelector('.card-title')?.text.trim() ?? '',
    price: li.querySelector('.card-price span')?.text.trim() ?? '',
    img: li.querySelector('img'),
  }));
}

const countOf = (page: Page): number => Number(/^(\d+)/.exec(page.html().querySelector('#results-count')?.text.trim() ?? '')?.[1] ?? NaN);

/** Every card of a listing, page after page through the rel=next links. */
async function allCards(agent: TestAgent, first: Page): Promise<Card[]> {
  const out: Card[] = [];
  let page: Page | undefined = first;
  while (page) {
    expect(page.status, page.url).toBe(200);
    out.push(...cardsOf(page));
    const next: string | undefined = page.html().querySelector('.pagination a[rel=next]')?.getAttribute('href');
    page = next ? await agent.get(next) : undefined;
  }
  return out;
}

const bySlug = (docs: readonly ProductDoc[]) => new Map(docs.map((p) => [p.slug, p]));

function nonDecreasing<T>(values: readonly T[], compare: (a: T, b: T) => number): boolean {
  return values.every((v, i) => i === 0 || compare(values[i - 1] as T, v) <= 0);
}

describe('demo shop: category pages', () => {
  it('every published category answers 200 with its product count, 24 cards a page and numbered pages', async () => {
    const agent = new TestAgent(t.app);
    const published = await categories().find({ status: 'published' }).toArray();
    expect(published.length).toBeGreaterThanOrEqual(8);
    let paginated = 0;
    for (const cat of published) {
      const expected = await productsUnder(cat);
      const page = await agent.get(`/c/${cat.slug}`);
      expect(page.status, cat.slug).toBe(200);
      expect(countOf(page), cat.slug).toBe(expected.length);
      const cards = cardsOf(page);
      expect(cards.length, cat.slug).toBe(Math.min(24, expected.length));
      const numbers = page.html().querySelectorAll('.pagination a[aria-label]').map((a) => a.text.trim());
      if (expected.length > 24) {
        paginated++;
        expect(numbers, cat.slug).toEqual(Array.from({ length: Math.ceil(expected.length / 24) }, (_, i) => String(i + 1)));
        const all = await allCards(agent, page);
        expect(all.map((c) => c.slug).sort(), cat.slug).toEqual(expected.map((p) => p.slug).sort());
      } else {
        expect(page.html().querySelector('.pagination'), cat.slug).toBeNull();
        expect(cards.map((c) => c.slug).sort(), cat.slug).toEqual(expected.map((p) => p.slug).sort());
      }
    }
    expect(paginated).toBeGreaterThan(0);
  });
});

describe('demo shop: sorting Clothing', () => {
  const sorted = async (query: string) => {
    const agent = new TestAgent(t.app);
    const docs = bySlug(await productsUnder(await category('clothing')));
    const cards = await allCards(agent, await agent.get(`/c/clothing?${query}`));
    expect(cards.map((c) => c.slug).sort()).toEqual([...docs.keys()].sort());
    return cards.map((c) => ({ card: c, doc: docs.get(c.slug) as ProductDoc }));
  };

  it('the sort select offers the five sorts', async () => {
    const page = await new TestAgent(t.app).get('/c/clothing');
    expect(page.html().querySelectorAll('form.filters select[name=sort] option').map((o) => o.getAttribute('value'))).toEqual(['featured', 'newest', 'price-asc', 'price-desc', 'name']);
  });

  it('featured: highest featured rank first', async () => {
    const rows = await sorted('sort=featured');
    expect(nonDecreasing(rows.map((r) => r.doc.featuredRank), (a, b) => b - a)).toBe(true);
  });

  it('newest: latest created first', async () => {
    const rows = await sorted('sort=newest');
    expect(nonDecreasing(rows.map((r) => r.doc.createdAt.getTime()), (a, b) => b - a)).toBe(true);
  });

  it.each([
    ['price-asc', 1],
    ['price-desc', -1],
  ] as const)('%s: by the lowest variant price, which the card shows', async (sort, direction) => {
    const rows = await sorted(`sort=${sort}`);
    for (const { card, doc } of rows) expect(card.price, doc.slug).toContain(formatMoney({ amount: effectivePrice(doc), currency: 'EUR' }, 'en'));
    expect(nonDecreasing(rows.map((r) => effectivePrice(r.doc)), (a, b) => direction * (a - b))).toBe(true);
    expect(effectivePrice(rows[0]?.doc as ProductDoc)).not.toBe(effectivePrice(rows.at(-1)?.doc as ProductDoc));
  });

  it.each(['en', 'es'] as const)('name in %s: alphabetical by the shown title, ignoring case and accents', async (lang) => {
    const rows = await sorted(`sort=name&lang=${lang}`);
    for (const { card, doc } of rows) expect(card.title).toBe(pick(doc.title, lang));
    const keys = rows.map((r) => fold(r.card.title));
    expect(nonDecreasing(keys, (a, b) => (a < b ? -1 : a > b ? 1 : 0)), keys.join(' | ')).toBe(true);
  });
});

describe('demo shop: filtering Clothing', () => {
  type Choice = { min?: number; max?: number; stock?: boolean; options?: Record<string, string[]> };
  const matches = (p: ProductDoc, c: Choice): boolean => {
    const price = effectivePrice(p);
    if (c.min !== undefined && price < c.min) return false;
    if (c.max !== undefined && price > c.max) return false;
    const chosen = Object.entries(c.options ?? {});
    if (!c.stock && chosen.length === 0) return true;
    // One variant must have every chosen value (and be in stock when asked).
    return p.variants.some((v) => chosen.every(([code, values]) => values.includes(v.options[code] ?? '')) && (!c.stock || v.stock > 0));
  };

  /** Submits the GET filter form of /c/clothing with `values`; checks count and cards against the db. */
  async function filter(values: Record<string, string | string[]>, choice: Choice) {
    const agent = new TestAgent(t.app);
    const docs = await productsUnder(await category('clothing'));
    const first = await agent.get('/c/clothing');
    const page = await agent.submitForm(first, 'form.filters', values);
    const expected = docs.filter((p) => matches(p, choice));
    expect(countOf(page), page.url).toBe(expected.length);
    const cards = await allCards(agent, page);
    expect(cards.map((c) => c.slug).sort(), page.url).toEqual(expected.map((p) => p.slug).sort());
    return { page, total: docs.length, count: expected.length };
  }

  it('price range in major units: the form gives ?min=&max= and only prices in range', async () => {
    const { page, total, count } = await filter({ min: '20', max: '40' }, { min: 2000, max: 4000 });
    expect(page.url).toBe('/c/clothing?sort=featured&min=20&max=40');
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(total);
    expect((await filter({ min: '50' }, { min: 5000 })).count).toBeGreaterThan(0);
    expect((await filter({ max: '15' }, { max: 1500 })).count).toBeGreaterThan(0);
  });

  it('in stock only', async () => {
    const { page, count, total } = await filter({ stock: '1' }, { stock: true });
    expect(page.url).toBe('/c/clothing?sort=featured&min=&max=&stock=1');
    expect(count).toBeLessThanOrEqual(total);
    expect(page.html().querySelector('input[name=stock]')?.hasAttribute('checked')).toBe(true);
  });

  it('every option value the form offers', async () => {
    const form = (await new TestAgent(t.app).get('/c/clothing')).html().querySelector('form.filters');
    const boxes = form?.querySelectorAll('input[type=checkbox]').filter((i) => i.getAttribute('name')?.startsWith('o_')) ?? [];
    const names = new Set(boxes.map((b) => b.getAttribute('name')));
    expect(names).toEqual(new Set(['o_size', 'o_colour']));
    for (const box of boxes) {
      const name = box.getAttribute('name') ?? '';
      const value = box.getAttribute('value') ?? '';
      const { page, count, total } = await filter({ [name]: value }, { options: { [name.slice(2)]: [value] } });
      expect(page.url, value).toBe(`/c/clothing?sort=featured&min=&max=&${name}=${encodeURIComponent(value)}`);
      expect(count, value).toBeGreaterThan(0);
      expect(count, value).toBeLessThan(total);
      expect(page.html().querySelector(`input[name=${name}][value="${value}"]`)?.hasAttribute('checked'), value).toBe(true);
    }
  });

  it('filters combine: several values of one option, other options, price, stock and a sort', async () => {
    const both = await filter({ o_size: ['s', 'xl'] }, { options: { size: ['s', 'xl'] } });
    const one = await filter({ o_size: 's' }, { options: { size: ['s'] } });
    expect(both.count).toBeGreaterThanOrEqual(one.count);
    const combined = await filter(
      { o_size: 'm', o_colour: ['black', 'navy'], stock: '1', min: '20', max: '60', sort: 'price-asc' },
      { options: { size: ['m'], colour: ['black', 'navy'] }, stock: true, min: 2000, max: 6000 },
    );
    expect(combined.page.url).toBe('/c/clothing?sort=price-asc&min=20&max=60&o_size=m&o_colour=black&o_colour=navy&stock=1');
    expect(combined.count).toBeGreaterThan(0);
    expect(combined.count).toBeLessThan(one.total);
  });
});

describe('demo shop: products, content pages, home and search', () => {
  it('every published product page has a JSON-LD Product with the db price and a BreadcrumbList', async () => {
    const agent = new TestAgent(t.app);
    const all = await products().find({ status: 'published' }).toArray();
    expect(all.length).toBeGreaterThanOrEqual(60);
    for (const p of all) {
      const page = await agent.get(`/p/${p.slug}`);
      expect(page.status, p.slug).toBe(200);
      const blocks = page.html().querySelectorAll('script[type="application/ld+json"]').map((s) => JSON.parse(s.text) as Record<string, unknown>);
      const product = blocks.find((b) => b['@type'] === 'Product') as { name: string; offers: { price: string; priceCurrency: string } } | undefined;
      // No option chosen: the page shows the first variant in stock (else the first one).
      const variant = p.variants.find((v) => v.stock > 0) ?? p.variants[0];
      const price = variant?.price ?? p.price;
      expect(product?.name, p.slug).toBe(p.title.en);
      expect(product?.offers.price, p.slug).toBe((price.amount / 100).toFixed(2));
      expect(product?.offers.priceCurrency, p.slug).toBe(price.currency);
      const crumbs = blocks.find((b) => b['@type'] === 'BreadcrumbList') as { itemListElement: unknown[] } | undefined;
      expect(crumbs?.itemListElement.length, p.slug).toBeGreaterThanOrEqual(3);
    }
  });

  it('every content page answers in en, pt-BR and es with its translated title as h1', async () => {
    const agent = new TestAgent(t.app);
    const pages = await t.db.collection<PageDoc>('pages').find({ status: 'published' }).toArray();
    expect(pages.length).toBe(4);
    for (const doc of pages) {
      const headings = new Set<string>();
      for (const lang of LOCALES) {
        const page = await agent.get(`/pages/${doc.slug}?lang=${lang}`);
        expect(page.status, `${doc.slug} ${lang}`).toBe(200);
        const h1 = page.html().querySelector('h1')?.text.trim() ?? '';
        expect(h1, `${doc.slug} ${lang}`).toBe(pick(doc.title, lang));
        headings.add(h1);
      }
      expect(headings.size, doc.slug).toBe(3);
    }
  });

  it('the home page shows the seeded sections', async () => {
    const home = await t.db.collection<HomeDoc>('siteContent').findOne({ _id: 'home' });
    const featured = home?.sections.find((s) => s.kind === 'featuredProducts');
    const ids = featured?.kind === 'featuredProducts' ? featured.productIds : [];
    const docs = await products().find({ _id: { $in: ids } }).toArray();
    const titles = ids.map((id) => docs.find((d) => d._id.equals(id))?.title.es);

    const page = await new TestAgent(t.app).get('/?lang=es');
    expect(page.status).toBe(200);
    const doc = page.html();
    expect(doc.querySelector('.store-hero h2')?.text.trim()).toBe(HOME_TEXT.hero.heading.es);
    expect(doc.querySelector('.store-hero a.button')?.getAttribute('href')).toMatch(/^\/c\/clothing/);
    expect(doc.querySelectorAll('.home-section h2').map((h) => h.text.trim())).toEqual(expect.arrayContaining([HOME_TEXT.categories.es, HOME_TEXT.products.es, 'Hecho para durar']));
    expect(doc.querySelectorAll('.tiles a.tile').map((a) => new URL(a.getAttribute('href') ?? '', 'http://x').pathname)).toEqual(['/c/t-shirts', '/c/hoodies', '/c/kitchen', '/c/decor']);
    expect(doc.querySelectorAll('.home-section .card-title').map((e) => e.text.trim())).toEqual(titles);
    expect(titles).toHaveLength(8);
  });

  it('a Spanish word of a seeded title finds the product, marked', async () => {
    const tee = await products().findOne({ slug: 'mountain-tee' });
    const word = tee?.title.es?.split(' ').at(-1) ?? '';
    expect(word).toBe('Montaña');
    const page = await new TestAgent(t.app).get(`/search?q=${encodeURIComponent(word)}&lang=es`);
    expect(page.status).toBe(200);
    const card = page.html().querySelectorAll('.card').find((c) => c.querySelector('a.card-link')?.getAttribute('href')?.startsWith('/p/mountain-tee'));
    expect(card?.querySelector('.card-title')?.text.trim()).toBe(tee?.title.es);
    expect(card?.querySelectorAll('.card-title mark').map((m) => m.text)).toEqual([word]);
  });
});

describe('demo shop: details', () => {
  it('a category page shows its translated description', async () => {
    const cat = await category('hoodies');
    for (const lang of LOCALES) {
      const page = await new TestAgent(t.app).get(`/c/hoodies?lang=${lang}`);
      expect(page.html().querySelector('.page-head .lead')?.text.trim(), lang).toBe(pick(cat.description, lang as Locale));
    }
  });

  it('subcategory links and search suggestions follow the categories’ sortOrder', async () => {
    const agent = new TestAgent(t.app);
    const subcategories = async () => (await agent.get('/c/clothing')).html().querySelectorAll('nav[aria-label=Subcategories] a').map((a) => a.getAttribute('href'));
    const suggestions = async () => (await agent.get('/search?q=zzzqqq')).html().querySelectorAll('.empty .chips a').map((a) => a.getAttribute('href'));
    expect(await subcategories()).toEqual(['/c/tops', '/c/accessories']);
    expect(await suggestions()).toEqual(['/c/clothing', '/c/home', '/c/digital']);
    const accessories = await category('accessories');
    const digital = await category('digital');
    await t.services.catalog.updateCategory(accessories._id, { sortOrder: -1 });
    await t.services.catalog.updateCategory(digital._id, { sortOrder: -1 });
    try {
      expect(await subcategories()).toEqual(['/c/accessories', '/c/tops']);
      expect(await suggestions()).toEqual(['/c/digital', '/c/clothing', '/c/home']);
    } finally {
      await t.services.catalog.updateCategory(accessories._id, { sortOrder: accessories.sortOrder });
      await t.services.catalog.updateCategory(digital._id, { sortOrder: digital.sortOrder });
    }
  });

  it('a content page with an SEO title uses it in <title>; the h1 stays the page title', async () => {
    await t.services.cms.createPage({
      slug: 'care-guide', title: { en: 'Care guide', es: 'Guía de cuidado' }, body: { en: 'Wash cold.' },
      seoTitle: { en: 'How to wash organic cotton', es: 'Cómo lavar algodón orgánico' }, status: 'published',
    });
    for (const [lang, seo, h1] of [['en', 'How to wash organic cotton', 'Care guide'], ['es', 'Cómo lavar algodón orgánico', 'Guía de cuidado']]) {
      const doc = (await new TestAgent(t.app).get(`/pages/care-guide?lang=${lang}`)).html();
      expect(doc.querySelector('title')?.text.startsWith(`${seo} ·`), lang).toBe(true);
      expect(doc.querySelector('h1')?.text.trim(), lang).toBe(h1);
      expect(doc.querySelector('meta[property="og:title"]')?.getAttribute('content'), lang).toBe(seo);
    }
  });

  it('the product gallery: one picture per image, first eager, the rest lazy, each img fully sized', async () => {
    const p = await products().findOne({ status: 'published', 'images.1': { $exists: true } });
    if (!p) throw new Error('no product with two images');
    const doc = (await new TestAgent(t.app).get(`/p/${p.slug}?lang=pt-BR`)).html();
    const pictures = doc.querySelectorAll('.gallery picture');
    expect(pictures).toHaveLength(p.images.length);
    pictures.forEach((picture, i) => {
      const img = picture.querySelector('img');
      expect(img?.getAttribute('loading'), `image ${i}`).toBe(i === 0 ? 'eager' : 'lazy');
      for (const attr of ['width', 'height']) expect(Number(img?.getAttribute(attr)), attr).toBeGreaterThan(0);
      for (const attr of ['srcset', 'sizes']) expect(img?.getAttribute(attr), attr).toBeTruthy();
      expect(img?.getAttribute('alt')).toBe(pick(p.images[i]?.alt ?? { en: '' }, 'pt-BR'));
    });
  });

  it('category cards: sized, responsive images, lazy after the first row', async () => {
    const cards = cardsOf(await new TestAgent(t.app).get('/c/clothing'));
    expect(cards.length).toBe(24);
    cards.forEach((card, i) => {
      for (const attr of ['width', 'height']) expect(Number(card.img?.getAttribute(attr)), `${card.slug} ${attr}`).toBeGreaterThan(0);
      for (const attr of ['srcset', 'sizes']) expect(card.img?.getAttribute(attr), `${card.slug} ${attr}`).toBeTruthy();
      expect(card.img?.getAttribute('loading'), card.slug).toBe(i < 4 ? 'eager' : 'lazy');
    });
  });

  it('the product page has og:title, og:description, og:url and og:image', async () => {
    const p = await products().findOne({ slug: 'mountain-tee' });
    const image = p?.images[0];
    if (!p || !image) throw new Error('no mountain-tee');
    const doc = (await new TestAgent(t.app).get('/p/mountain-tee')).html();
    const og = (name: string) => doc.querySelector(`meta[property="og:${name}"]`)?.getAttribute('content');
    expect(og('title')).toBe(p.title.en);
    expect(og('description')).toBeTruthy();
    expect(og('url')).toBe(`${t.config.baseUrl}/p/mountain-tee`);
    expect(og('image')).toBe(t.config.baseUrl + mediaUrl(image.mediaId, Math.min(image.width, 1280), 'jpeg'));
  });
});
