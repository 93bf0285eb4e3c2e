import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/services.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/**
 * The category page's "name" sort is alphabetical in the page's language, ignoring case and accents,
 * by the title each product is shown with there (`sortTitles.<locale>`). These titles sort otherwise
 * by code point: capitals before lower case, accented capitals after "Z".
 */
const TITLES = [
  { en: 'Tree stand', 'pt-BR': 'Árvore de pé', es: 'Árbol de pie' },
  { en: 'Zebra rug', 'pt-BR': 'Zebra tapete', es: 'Zebra alfombra' },
  { en: 'ceramic bowl', 'pt-BR': 'tigela de cerâmica', es: 'bol de cerámica' },
  { en: 'Mango crate', 'pt-BR': 'caixote de manga' }, // no Spanish title: shown (and sorted) in English
  { en: 'Ebony box', 'pt-BR': 'Ébano caixa', es: 'Ébano caja' },
];

const EXPECTED = {
  en: ['ceramic bowl', 'Ebony box', 'Mango crate', 'Tree stand', 'Zebra rug'],
  'pt-BR': ['Árvore de pé', 'caixote de manga', 'Ébano caixa', 'tigela de cerâmica', 'Zebra tapete'],
  es: ['Árbol de pie', 'bol de cerámica', 'Ébano caja', 'Mango crate', 'Zebra alfombra'],
};

async function makeProducts(services: Services) {
  const category = await services.catalog.createCategory({ slug: 'home-goods', name: { en: 'Home goods', 'pt-BR': 'Casa', es: 'Hogar' } });
  for (const [i, title] of TITLES.entries()) {
    await services.catalog.createProduct({
      slug: `name-sort-${i}`, title, price: { amount: 1000 + i, currency: 'EUR' }, categoryIds: [category._id],
      variants: [{ sku: `NS-${i}`, options: {}, stock: 1, weight: 100 }],
    });
  }
}

async function titles(t: TestApp, url: string): Promise<string[]> {
  const page = await new TestAgent(t.app).get(url);
  expect(page.status, url).toBe(200);
  return page.html().querySelectorAll('.results .card-title').map((e) => e.text.trim());
}

describe('category page, sort by name', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await makeProducts(t.services);
  });
  afterAll(async () => t?.close());

  it.each(Object.entries(EXPECTED))('lists titles in %s alphabetically, ignoring case and accents', async (lang, expected) => {
    expect(await titles(t, `/c/home-goods?sort=name&lang=${lang}`)).toEqual(expected);
  });

  it('moves a product when its title in that language changes', async () => {
    const mango = await t.db.collection<ProductDoc>('products').findOne({ slug: 'name-sort-3' });
    if (!mango) throw new Error('product missing');
    await t.services.catalog.updateProduct(mango._id, { title: { ...mango.title, es: 'Ánfora de mango' } });
    expect(await titles(t, '/c/home-goods?sort=name&lang=es')).toEqual(['Ánfora de mango', 'Árbol de pie', 'bol de cerámica', 'Ébano caja', 'Zebra alfombra']);
    expect(await titles(t, '/c/home-goods?sort=name&lang=en')).toEqual(EXPECTED.en);
  });
});

describe('sortTitles backfill', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await startTestDb();
  });
  afterAll(async () => testDb?.close());

  it('fills products stored without sortTitles at start-up, so they sort by name like the others', async () => {
    const first = await createTestApp({ testDb });
    try {
      await makeProducts(first.services);
      // As stored before the field existed.
      await first.db.collection<ProductDoc>('products').updateMany({}, { $unset: { sortTitles: '' } });
    } finally {
      await first.close();
    }
    const app = await createTestApp({ testDb });
    const products = app.db.collection<ProductDoc>('products');
    try {
      expect(await products.countDocuments({ sortTitles: { $exists: false } })).toBe(0);
      expect((await products.findOne({ slug: 'name-sort-3' }))?.sortTitles).toEqual({ en: 'mango crate', 'pt-BR': 'caixote de manga', es: 'mango crate' });
      expect(app.logs().some((l) => l.msg === 'sortTitles backfilled' && l.products === TITLES.length)).toBe(true);
      for (const [lang, expected] of Object.entries(EXPECTED)) expect(await titles(app, `/c/home-goods?sort=name&lang=${lang}`), lang).toEqual(expected);
    } finally {
      await app.close();
    }
  });
});
