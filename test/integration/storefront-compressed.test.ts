import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { makeShop } from './storefront-fixtures.js';

/**
 * Cached storefront pages sent compressed once (src/plugins/view.ts sendShell): the whole page in
 * brotli/gzip for a visitor without cart, account or flash; gzip spliced around the per-visitor
 * text (CSRF token, cart count, flash) for everyone else.
 */
let t: TestApp;
let shop: Awaited<ReturnType<typeof makeShop>>;
beforeAll(async () => {
  t = await createTestApp();
  shop = await makeShop(t.services);
});
afterAll(async () => {
  await t?.close();
});

const BROWSER = 'gzip, deflate, br, zstd';

function decoded(res: LightMyRequestResponse): string {
  const encoding = res.headers['content-encoding'];
  const raw = res.rawPayload;
  if (encoding === 'br') return brotliDecompressSync(raw).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(raw).toString('utf8');
  expect(encoding).toBeUndefined();
  return raw.toString('utf8');
}

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
/** The page with its CSRF tokens blanked (each response has its own). */
const withoutTokens = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
const cookieOf = (agent: TestAgent) => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const titles = (html: string) => parse(html).querySelectorAll('.card-title').map((c) => c.text.trim());

describe('an anonymous visitor', () => {
  it('gets the same page in br, gzip and identity, with Content-Encoding, Vary and Content-Length', async () => {
    const plain = await get('/c/clothing');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const html = plain.body;
    expect(titles(html).length).toBeGreaterThan(0);
    for (const [accept, expected] of [[BROWSER, 'br'], ['br', 'br'], ['gzip', 'gzip'], ['gzip;q=1, br;q=0.5', 'gzip'], ['br;q=0, *', 'gzip']] as const) {
      const res = await get('/c/clothing', { 'accept-encoding': accept });
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(expected);
      expect(String(res.headers.vary).toLowerCase().split(/,\s*/), accept).toEqual(expect.arrayContaining(['accept-encoding', 'accept-language', 'cookie']));
      expect(Number(res.headers['content-length']), accept).toBe(res.rawPayload.length);
      expect(res.rawPayload.length, accept).toBeLessThan(Buffer.byteLength(html) / 3);
      expect(decoded(res), accept).toBe(html);
    }
    // Identity asked for, or nothing acceptable: the plain page.
    for (const accept of ['identity', 'gzip;q=0, br;q=0', 'compress']) {
      const res = await get('/c/clothing', { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBeUndefined();
      expect(res.body, accept).toBe(html);
    }
  });

  it('answers HEAD with the headers of the compressed page and no body', async () => {
    const full = await get('/c/shirts', { 'accept-encoding': 'br' });
    const head = await t.app.inject({ method: 'HEAD', url: '/c/shirts', headers: { 'accept-encoding': 'br' } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(String(full.rawPayload.length));
    expect(head.rawPayload.length).toBe(0);
  });

  it('gets a product page (a CSRF token per visitor) as gzip that decompresses to the page, and its token works', async () => {
    const agent = new TestAgent(t.app);
    const plain = await agent.get('/p/blue-shirt');
    const zipped = await get('/p/blue-shirt', { 'accept-encoding': BROWSER, cookie: cookieOf(agent) });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.rawPayload.length);
    const html = decoded(zipped);
    expect(withoutTokens(html)).toBe(withoutTokens(plain.body));
    const token = parse(html).querySelector('form.add-to-cart input[name=_csrf]')?.getAttribute('value');
    expect(token).toMatch(/^[A-Za-z0-9_-]{48}$/);
    const variantId = parse(html).querySelector('form.add-to-cart input[name=variantId]')?.getAttribute('value') ?? '';
    const added = await agent.post('/cart/items', { _csrf: token ?? '', variantId, quantity: '1' });
    expect(added.status).toBe(303);
    expect(added.location).toBe('/cart');
  });
});

describe('a visitor with a cart', () => {
  it('sees their own item count in every encoding, and the anonymous body is not changed by them', async () => {
    await get('/c/accessories', { 'accept-encoding': 'br' }); // cached, with its anonymous body
    const agent = new TestAgent(t.app);
    const product = await agent.get('/p/wool-scarf');
    const added = await agent.submitForm(product, 'form.add-to-cart', { quantity: '2' });
    expect(added.status).toBe(303);
    for (const accept of [BROWSER, 'gzip', 'br', 'identity']) {
      const res = await get('/c/accessories', { 'accept-encoding': accept, cookie: cookieOf(agent) });
      expect(parse(decoded(res)).querySelector('.cart-link .badge')?.text.trim(), accept).toBe('2 items');
    }
    const anonymous = await get('/c/accessories', { 'accept-encoding': 'br' });
    expect(parse(decoded(anonymous)).querySelector('.cart-link .badge')).toBeNull();
    expect(parse(decoded(anonymous)).querySelector('.cart-link')).not.toBeNull();
  });

  it('sees their count on a page with a CSRF token too, after anonymous visitors made its gzip template', async () => {
    const fresh = await get('/p/blue-shirt', { 'accept-encoding': 'gzip' }); // a new visitor: the template is made
    expect(fresh.headers['set-cookie']).toBeDefined();
    expect(parse(decoded(fresh)).querySelector('.cart-link .badge')).toBeNull();
    const agent = new TestAgent(t.app);
    const added = await agent.submitForm(await agent.get('/p/wool-scarf'), 'form.add-to-cart', { quantity: '3' });
    expect(added.status).toBe(303);
    const mine = decoded(await get('/p/blue-shirt', { 'accept-encoding': 'gzip', cookie: cookieOf(agent) }));
    expect(parse(mine).querySelector('.cart-link .badge')?.text.trim()).toBe('3 items');
    const again = decoded(await get('/p/blue-shirt', { 'accept-encoding': 'gzip' }));
    expect(parse(again).querySelector('.cart-link .badge')).toBeNull();
    // Each new visitor's page carries its own token.
    const token = (html: string) => parse(html).querySelector('form.add-to-cart input[name=_csrf]')?.getAttribute('value');
    expect(token(again)).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(token(again)).not.toBe(token(decoded(fresh)));
  });

  it('gets a flash once inside a compressed cached page', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'en' });
    const page = await agent.get('/c/shirts');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'es' });
    const cookie = cookieOf(agent);
    const once = await get(res.location ?? '/', { 'accept-encoding': BROWSER, cookie });
    expect(once.headers['content-encoding']).toBe('gzip');
    expect(parse(decoded(once)).querySelector('.flash')?.text).toBe('La tienda ahora se muestra en español.');
    const again = await get(res.location ?? '/', { 'accept-encoding': BROWSER, cookie });
    expect(parse(decoded(again)).querySelector('.flash')).toBeNull();
  });
});

describe('a staff edit', () => {
  it('changes the compressed bodies too (whole and spliced)', async () => {
    const list = async () => titles(decoded(await get('/c/clothing', { 'accept-encoding': 'br' })));
    const heading = async () => parse(decoded(await get('/p/red-dress', { 'accept-encoding': 'gzip' }))).querySelector('h1')?.text;
    expect(await list()).toContain('Red summer dress');
    expect(await heading()).toBe('Red summer dress');
    await t.services.catalog.updateProduct(shop.dress._id, { title: { en: 'Scarlet summer dress' } });
    expect(await list()).toContain('Scarlet summer dress');
    expect(await heading()).toBe('Scarlet summer dress');
  });
});
