import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeShop, storefrontModules } from './storefront-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ modules: storefrontModules });
  await makeShop(t.services);
});
afterAll(async () => {
  await t?.close();
});

describe('search page', () => {
  it('finds published products by title, tag or description, title matches first', async () => {
    const page = await new TestAgent(t.app).get('/search?q=scarf');
    expect(page.status).toBe(200);
    const titles = page.html().querySelectorAll('.card-title').map((e) => e.text.trim());
    // "Café scarf" has the word in its title; the shirt only in its description.
    expect(titles).toEqual(['Café scarf', 'Blue linen shirt']);
    expect(page.html().querySelector('.count')?.text.trim()).toBe('2 results');
    expect((await new TestAgent(t.app).get('/search?q=winter')).html().querySelectorAll('.card-title').map((e) => e.text.trim())).toEqual(['Café scarf']);
    expect((await new TestAgent(t.app).get('/search?q=secret')).html().querySelectorAll('.card')).toHaveLength(0);
  });

  it('is case- and accent-insensitive, in every language, and marks the matched words safely', async () => {
    const page = await new TestAgent(t.app).get('/search?q=CAFE');
    const title = page.html().querySelector('.card-title');
    expect(title?.text.trim()).toBe('Café scarf');
    expect(title?.querySelector('mark')?.text).toBe('Café');
    const pt = await new TestAgent(t.app).get('/search?q=linho&lang=pt-BR');
    expect(pt.html().querySelector('.card-title')?.text.trim()).toBe('Camisa de linho azul');
    expect(pt.html().querySelector('.card-title mark')?.text).toBe('linho');
  });

  it('shows a helpful empty result with category links, and escapes the query', async () => {
    const page = await new TestAgent(t.app).get('/search?q=%3Cb%3Ezebra%3C%2Fb%3E');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<b>zebra');
    expect(page.html().querySelector('h1')?.text).toBe('Results for “<b>zebra</b>”');
    expect(page.html().querySelector('.empty strong')?.text).toBe('Nothing found yet. Try another word.');
    expect(page.html().querySelectorAll('.empty a').map((a) => a.getAttribute('href'))).toEqual(['/c/clothing', '/c/accessories']);
    expect(page.html().querySelector('meta[name=robots]')?.getAttribute('content')).toBe('noindex, follow');
  });

  it('prompts when the query is empty and rejects malformed parameters with 4xx', async () => {
    const agent = new TestAgent(t.app);
    expect((await agent.get('/search')).html().querySelector('h1')?.text).toBe('Search');
    expect((await agent.get('/search?q=' + 'x'.repeat(300))).status).toBe(422);
    expect((await agent.get('/search?q=shirt&page=-1')).status).toBe(422);
    expect((await agent.get('/search?q=shirt&page=9')).status).toBe(404);
    expect((await agent.get('/search?q=%22unclosed')).status).toBe(200);
  });

  it('paginates results', async () => {
    for (let i = 0; i < 26; i++) {
      await t.services.catalog.createProduct({
        slug: `lamp-${i}`, title: { en: `Lamp ${i}` }, price: { amount: 1000, currency: 'EUR' },
        variants: [{ sku: `LA-${i}`, options: {}, stock: 1, weight: 1 }],
      });
    }
    const agent = new TestAgent(t.app);
    const first = await agent.get('/search?q=lamp');
    expect(first.html().querySelectorAll('.card')).toHaveLength(24);
    expect(first.html().querySelector('.pagination a[rel=next]')?.getAttribute('href')).toBe('/search?q=lamp&page=2');
    expect((await agent.get('/search?q=lamp&page=2')).html().querySelectorAll('.card')).toHaveLength(2);
  });
});
