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

function jsonLd(page: { html(): import('node-html-parser').HTMLElement }): Record<string, unknown>[] {
  return page.html().querySelectorAll('script[type="application/ld+json"]').map((s) => JSON.parse(s.text) as Record<string, unknown>);
}

describe('product page', () => {
  it('shows title, price, compare-at, breadcrumbs, description HTML and related products', async () => {
    const page = await new TestAgent(t.app).get('/p/red-dress');
    expect(page.status).toBe(200);
    const doc = page.html();
    expect(doc.querySelector('h1')?.text).toBe('Red summer dress');
    expect(doc.querySelector('.price strong')?.text).toBe('€50.00');
    expect(doc.querySelector('.price .was')?.text).toBe('Was €60.00');
    expect(doc.querySelectorAll('.breadcrumbs li').map((l) => l.text.trim())).toEqual(['Home', 'Clothing', 'Red summer dress']);
    expect(doc.querySelectorAll('.grid .card-title').map((e) => e.text.trim())).toEqual(['Wool coat']);
    expect(page.headers['content-security-policy']).toContain("script-src 'none'");
  });

  it('defaults to the first variant in stock and offers an add-to-cart form with variantId and quantity', async () => {
    const page = await new TestAgent(t.app).get('/p/blue-shirt');
    const doc = page.html();
    expect(doc.querySelector('#opt-size option[selected]')?.getAttribute('value')).toBe('m');
    expect(doc.querySelector('.availability')?.text.trim()).toBe('Only 3 left');
    const form = doc.querySelector('form.add-to-cart');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('action')).toBe('/cart/items');
    expect(form?.querySelector('input[name=variantId]')?.getAttribute('value')).toBe(shop.shirt.variants[1]?._id.toHexString());
    expect(form?.querySelector('input[name=quantity]')?.getAttribute('value')).toBe('1');
    expect(form?.querySelector('input[name=_csrf]')?.getAttribute('value')).toBeTruthy();
  });

  it('chooses a variant through the no-JS GET form and shows its price and availability', async () => {
    const agent = new TestAgent(t.app);
    const first = await agent.get('/p/blue-shirt');
    const white = await agent.submitForm(first, 'form.variant-form', { o_size: 'l', o_colour: 'white' });
    expect(white.url).toBe('/p/blue-shirt?o_size=l&o_colour=white');
    expect(white.html().querySelector('.price strong')?.text).toBe('€22.00');
    expect(white.html().querySelector('.availability')?.text.trim()).toBe('In stock');
    const soldOut = await agent.get('/p/blue-shirt?o_size=s&o_colour=blue');
    expect(soldOut.html().querySelector('.availability')?.text.trim()).toBe('Out of stock');
    expect(soldOut.html().querySelector('form.add-to-cart button')?.hasAttribute('disabled')).toBe(true);
    // A partial choice (colour only) preselects the in-stock size of it, not the sold-out first one.
    const blue = await agent.get('/p/blue-shirt?o_colour=blue');
    expect(blue.html().querySelector('#opt-size option[selected]')?.getAttribute('value')).toBe('m');
    expect(blue.html().querySelector('form.add-to-cart input[name=variantId]')?.getAttribute('value')).toBe(shop.shirt.variants[1]?._id.toHexString());
    const none = await agent.get('/p/blue-shirt?o_size=s&o_colour=white');
    expect(none.html().querySelector('.availability')?.text.trim()).toBe('This combination is not available. Please choose another.');
    expect(none.html().querySelector('form.add-to-cart')).toBeNull();
  });

  it('has SEO tags: canonical without variant parameters, hreflang, Open Graph, Product and BreadcrumbList JSON-LD', async () => {
    const page = await new TestAgent(t.app).get('/p/blue-shirt?o_size=l&o_colour=white');
    const doc = page.html();
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('http://localhost:3000/p/blue-shirt');
    expect(doc.querySelectorAll('link[rel=alternate]').map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')])).toEqual([
      ['en', 'http://localhost:3000/p/blue-shirt?lang=en'],
      ['pt-BR', 'http://localhost:3000/p/blue-shirt?lang=pt-BR'],
      ['es', 'http://localhost:3000/p/blue-shirt?lang=es'],
      ['x-default', 'http://localhost:3000/p/blue-shirt'],
    ]);
    expect(doc.querySelector('meta[property="og:type"]')?.getAttribute('content')).toBe('product');
    expect(doc.querySelector('meta[name=description]')?.getAttribute('content')).toBe('A breathable shirt for summer. Pairs with the scarf.');
    const [product, crumbs] = jsonLd(page);
    expect(product).toMatchObject({ '@type': 'Product', name: 'Blue linen shirt', offers: { price: '22.00', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' } });
    expect(crumbs).toMatchObject({ '@type': 'BreadcrumbList' });
    expect((crumbs?.itemListElement as unknown[]).length).toBe(4);
  });

  it('serves the language asked with ?lang=, keeps it in links and the canonical', async () => {
    const page = await new TestAgent(t.app).get('/p/blue-shirt?lang=pt-BR');
    const doc = page.html();
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
    expect(doc.querySelector('h1')?.text).toBe('Camisa de linho azul');
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('http://localhost:3000/p/blue-shirt?lang=pt-BR');
    expect(doc.querySelector('.breadcrumbs a[href^="/c/shirts"]')?.getAttribute('href')).toBe('/c/shirts?lang=pt-BR');
    expect(doc.querySelector('form.variant-form input[name=lang]')?.getAttribute('value')).toBe('pt-BR');
    expect(doc.querySelector('label[for=opt-size]')?.text).toBe('Tamanho');
  });

  it('escapes </script> in JSON-LD so content cannot close the element', async () => {
    await t.services.catalog.createProduct({
      slug: 'evil', title: { en: 'Evil </script><script>alert(1)</script>' }, price: { amount: 100, currency: 'EUR' },
      variants: [{ sku: 'EV', options: {}, stock: 1, weight: 1 }],
    });
    const page = await new TestAgent(t.app).get('/p/evil');
    expect(page.html().querySelectorAll('script').every((s) => s.getAttribute('type') === 'application/ld+json')).toBe(true);
    expect(page.body).not.toContain('<script>alert');
    expect(jsonLd(page)[0]?.name).toBe('Evil </script><script>alert(1)</script>');
  });

  it('404s for unknown and draft products, 301s from an old slug', async () => {
    const agent = new TestAgent(t.app);
    expect((await agent.get('/p/nope')).status).toBe(404);
    expect((await agent.get('/p/secret-shirt')).status).toBe(404);
    await t.services.catalog.updateProduct(shop.scarf._id, { slug: 'merino-scarf' });
    const moved = await agent.get('/p/wool-scarf');
    expect(moved.status).toBe(301);
    expect(moved.location).toBe('/p/merino-scarf');
    expect((await agent.get('/p/merino-scarf')).status).toBe(200);
    // Renaming back: the current slug wins over the old-slug record.
    await t.services.catalog.updateProduct(shop.scarf._id, { slug: 'wool-scarf' });
    expect((await agent.get('/p/wool-scarf')).status).toBe(200);
    expect((await agent.get('/p/merino-scarf')).location).toBe('/p/wool-scarf');
  });
});
