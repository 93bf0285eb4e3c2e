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

async function titles(url: string): Promise<string[]> {
  const page = await new TestAgent(t.app).get(url);
  expect(page.status, url).toBe(200);
  return page.html().querySelectorAll('.results .card-title').map((e) => e.text.trim());
}

describe('category page', () => {
  it('lists published products of the category and its descendants, featured first, with a count', async () => {
    const page = await new TestAgent(t.app).get('/c/clothing');
    expect(page.status).toBe(200);
    const doc = page.html();
    expect(doc.querySelector('h1')?.text).toBe('Clothing');
    expect(doc.querySelectorAll('.results .card-title').map((e) => e.text.trim())).toEqual(['Blue linen shirt', 'Wool coat', 'Red summer dress']);
    expect(doc.querySelector('#results-count')?.text.trim()).toBe('3 products');
    expect(doc.querySelectorAll('.breadcrumbs li').map((li) => li.text.trim())).toEqual(['Home', 'Clothing']);
    expect(doc.querySelector('nav[aria-label=Subcategories] a')?.getAttribute('href')).toBe('/c/shirts');
    expect(doc.querySelector('title')?.text).toBe('Clothing · Vitrine');
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('http://localhost:3000/c/clothing');
  });

  it.each([
    ['featured', ['Blue linen shirt', 'Wool coat', 'Red summer dress']],
    ['newest', ['Wool coat', 'Red summer dress', 'Blue linen shirt']],
    ['price-asc', ['Blue linen shirt', 'Red summer dress', 'Wool coat']],
    ['price-desc', ['Wool coat', 'Red summer dress', 'Blue linen shirt']],
    ['name', ['Blue linen shirt', 'Red summer dress', 'Wool coat']],
  ])('sorts by %s', async (sort, expected) => {
    expect(await titles(`/c/clothing?sort=${sort}`)).toEqual(expected);
  });

  it('sorts by name in the language of the page', async () => {
    expect(await titles('/c/clothing?sort=name&lang=pt-BR')).toEqual(['Camisa de linho azul', 'Casaco de lã', 'Vestido vermelho de verão']);
  });

  it('filters by price range (typed in major units), availability and option values', async () => {
    expect(await titles('/c/clothing?min=20&max=50')).toEqual(['Blue linen shirt', 'Red summer dress']);
    expect(await titles('/c/clothing?max=49,99')).toEqual(['Blue linen shirt']);
    expect(await titles('/c/clothing?stock=1')).toEqual(['Blue linen shirt', 'Red summer dress']);
    expect(await titles('/c/clothing?o_size=l')).toEqual(['Blue linen shirt', 'Wool coat']);
    expect(await titles('/c/clothing?o_size=s&o_size=l')).toEqual(['Blue linen shirt', 'Wool coat', 'Red summer dress']);
    // One variant must have the size in stock: the S shirt and S dress are sold out.
    expect(await titles('/c/clothing?o_size=s&stock=1')).toEqual([]);
    expect(await titles('/c/clothing?o_size=m&o_colour=blue')).toEqual(['Blue linen shirt']);
    expect(await titles('/c/clothing?o_size=s&o_colour=white')).toEqual([]);
  });

  it('is one GET form whose submission gives the filtered URL, keeping the choices checked', async () => {
    const agent = new TestAgent(t.app);
    const first = await agent.get('/c/clothing');
    const form = first.html().querySelector('form.filters');
    expect(form?.getAttribute('method')).toBe('get');
    const sizeBoxes = first.html().querySelectorAll('input[name=o_size]').map((i) => i.getAttribute('value'));
    expect(sizeBoxes).toEqual(['s', 'm', 'l']);
    const filtered = await agent.submitForm(first, 'form.filters', { o_size: 'm', stock: '1', sort: 'price-desc' });
    expect(filtered.url).toBe('/c/clothing?sort=price-desc&min=&max=&o_size=m&stock=1');
    expect(filtered.html().querySelectorAll('.results .card-title').map((e) => e.text.trim())).toEqual(['Red summer dress', 'Blue linen shirt']);
    expect(filtered.html().querySelector('input[name=o_size][value=m]')?.hasAttribute('checked')).toBe(true);
    expect(filtered.html().querySelector('input[name=stock]')?.hasAttribute('checked')).toBe(true);
    expect(filtered.html().querySelector('meta[name=robots]')?.getAttribute('content')).toBe('noindex, follow');
  });

  it('shows an empty state with a way back when nothing matches', async () => {
    const page = await new TestAgent(t.app).get('/c/clothing?min=500');
    expect(page.html().querySelector('.empty strong')?.text).toBe('No products match these filters.');
    expect(page.html().querySelector('#results-count')?.text.trim()).toBe('0 products');
    expect(page.html().querySelector('.empty a')?.getAttribute('href')).toBe('/c/clothing');
  });

  it('rejects a bad price with 422 and a message beside the field, keeping the input', async () => {
    const page = await new TestAgent(t.app).get('/c/clothing?min=abc');
    expect(page.status).toBe(422);
    expect(page.html().querySelector('#f-min')?.getAttribute('value')).toBe('abc');
    expect(page.html().querySelector('#f-min-error')?.text).toBe('Enter an amount such as 10 or 24.90.');
  });

  it('answers 4xx, never 500, to malformed parameters', async () => {
    const agent = new TestAgent(t.app);
    expect((await agent.get('/c/clothing?sort=cheapest')).status).toBe(422);
    expect((await agent.get('/c/clothing?page=0')).status).toBe(422);
    expect((await agent.get('/c/clothing?page=abc')).status).toBe(422);
    expect((await agent.get('/c/clothing?o_%24where=1')).status).toBe(200);
    expect((await agent.get('/c/clothing?page=2')).status).toBe(404);
  });

  it('404s for unknown and unpublished categories, 301s from an old slug to the new one', async () => {
    const agent = new TestAgent(t.app);
    expect((await agent.get('/c/nope')).status).toBe(404);
    expect((await agent.get('/c/hidden')).status).toBe(404);
    await t.services.catalog.updateCategory(shop.accessories._id, { slug: 'extras' });
    const moved = await agent.get('/c/accessories?sort=name');
    expect(moved.status).toBe(301);
    expect(moved.location).toBe('/c/extras?sort=name');
    expect((await agent.get('/c/extras')).html().querySelector('h1')?.text).toBe('Accessories');
  });

  it('paginates 24 per page with numbered links', async () => {
    for (let i = 0; i < 25; i++) {
      await t.services.catalog.createProduct({
        slug: `sock-${i}`, title: { en: `Sock ${String(i).padStart(2, '0')}` }, price: { amount: 500 + i, currency: 'EUR' },
        categoryIds: [shop.shirts._id], variants: [{ sku: `SO-${i}`, options: {}, stock: 1, weight: 10 }],
      });
    }
    const agent = new TestAgent(t.app);
    const first = await agent.get('/c/shirts?sort=price-asc');
    expect(first.html().querySelectorAll('.results .card')).toHaveLength(24);
    const links = first.html().querySelectorAll('.pagination a').map((a) => [a.text.trim(), a.getAttribute('href')]);
    expect(links).toEqual([['1', '/c/shirts?sort=price-asc'], ['2', '/c/shirts?sort=price-asc&page=2'], ['Next', '/c/shirts?sort=price-asc&page=2']]);
    const second = await agent.get('/c/shirts?sort=price-asc&page=2');
    expect(second.html().querySelectorAll('.results .card-title').map((e) => e.text.trim())).toEqual(['Sock 24', 'Blue linen shirt']);
    expect(second.html().querySelector('title')?.text).toBe('Shirts — page 2 · Vitrine');
  });
});
