import type { FastifyInstance } from 'fastify';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createServices, type Services } from '../../src/services.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { testConfig } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';
import { storefrontModules } from './storefront-fixtures.js';

/**
 * Scheduled publishing of products: a published product whose publishedAt is ahead is not on the
 * storefront (404, lists, facets, search, sitemap, related, cards, cart), and appears by itself once
 * the shop's clock passes it: no write in between, so the caches must expire on their own.
 */

const HOUR = 3600_000;
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('scheduled products on the storefront', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  let services: Services;
  let now = new Date('2031-03-01T10:00:00Z');
  let launchAt: Date;
  let ids: { sun: ObjectId; moon: ObjectId; moonVariant: ObjectId };

  const get = (url: string): Promise<Page> => new TestAgent(app).get(url);
  const cardTitles = (page: Page) => page.html().querySelectorAll('.card-title').map((e) => e.text.trim()).sort();
  const sitemapLocs = (page: Page) => page.html().querySelectorAll('loc').map((e) => e.text.trim());

  beforeAll(async () => {
    testDb = await startTestDb();
    services = createServices({ db: testDb.database.db, clock: () => now });
    app = await buildApp(testConfig(), { database: testDb.database, services, modules: storefrontModules, logStream: { write: () => undefined } });
    await app.ready();
    const { catalog } = services;
    const lamps = await catalog.createCategory({ slug: 'lamps', name: { en: 'Lamps' } });
    const size = { code: 'size', name: { en: 'Size' }, values: [{ code: 'small', label: { en: 'Small' } }, { code: 'giant', label: { en: 'Giant' } }] };
    const sun = await catalog.createProduct({
      slug: 'sun-lamp', title: { en: 'Sun lamp' }, description: { en: 'A bright lamp.' }, price: eur(3000), categoryIds: [lamps._id], options: [size],
      variants: [{ sku: 'SUN-S', options: { size: 'small' }, stock: 5, weight: 500 }],
    });
    launchAt = new Date(now.getTime() + HOUR);
    const later = await catalog.createProduct({
      slug: 'moon-lamp', title: { en: 'Moon lamp' }, description: { en: 'A lamp for the night.' }, price: eur(4000), categoryIds: [lamps._id],
      options: [size], status: 'published', publishedAt: launchAt,
      variants: [{ sku: 'MOON-G', options: { size: 'giant' }, stock: 5, weight: 500 }],
    });
    ids = { sun: sun._id, moon: later._id, moonVariant: later.variants[0]?._id ?? new ObjectId() };
  });
  afterAll(async () => {
    await app?.close();
    await testDb?.close();
  });

  it('hides a product scheduled for later everywhere, then shows it once the clock passes publishedAt', async () => {
    // Before: every storefront read is made once, so the caches hold the "before" answers.
    expect((await get('/p/moon-lamp')).status).toBe(404);
    expect((await get('/p/sun-lamp')).status).toBe(200);
    const listBefore = await get('/c/lamps');
    expect(cardTitles(listBefore)).toEqual(['Sun lamp']);
    // The facets offer only the values of visible products ("Giant" is the scheduled one's).
    expect(listBefore.html().querySelectorAll('input[name="o_size"]').map((i) => i.getAttribute('value'))).toEqual(['small']);
    expect(cardTitles(await get('/search?q=lamp'))).toEqual(['Sun lamp']);
    expect(sitemapLocs(await get('/sitemap.xml')).some((l) => l.endsWith('/p/moon-lamp'))).toBe(false);
    const sun = await services.catalog.findProduct('sun-lamp');
    if (sun.kind !== 'found') throw new Error('sun lamp missing');
    expect((await services.catalog.relatedProducts(sun.value)).map((c) => c.slug)).toEqual([]);
    expect((await services.catalog.cardsByIds([ids.moon, ids.sun])).map((c) => c.slug)).toEqual(['sun-lamp']);
    // Not buyable before it is shown: the cart refuses the variant.
    expect((await services.cart.add({}, ids.moonVariant, 1)).kind).toBe('unavailable');

    // A minute before: still hidden (the cache must not expire early either).
    now = new Date(launchAt.getTime() - 60_000);
    expect((await get('/p/moon-lamp')).status).toBe(404);
    expect(cardTitles(await get('/c/lamps'))).toEqual(['Sun lamp']);

    // The clock passes publishedAt; nothing was written meanwhile.
    now = new Date(launchAt.getTime() + 1000);
    expect((await get('/p/moon-lamp')).status).toBe(200);
    const listAfter = await get('/c/lamps');
    expect(cardTitles(listAfter)).toEqual(['Moon lamp', 'Sun lamp']);
    expect(listAfter.html().querySelectorAll('input[name="o_size"]').map((i) => i.getAttribute('value'))).toEqual(['small', 'giant']);
    expect(cardTitles(await get('/search?q=lamp'))).toEqual(['Moon lamp', 'Sun lamp']);
    expect(sitemapLocs(await get('/sitemap.xml')).some((l) => l.endsWith('/p/moon-lamp'))).toBe(true);
    expect((await services.catalog.relatedProducts(sun.value)).map((c) => c.slug)).toEqual(['moon-lamp']);
    expect((await services.catalog.cardsByIds([ids.moon, ids.sun])).map((c) => c.slug)).toEqual(['moon-lamp', 'sun-lamp']);
    expect((await services.cart.add({}, ids.moonVariant, 1)).kind).toBe('added');
  });
});
