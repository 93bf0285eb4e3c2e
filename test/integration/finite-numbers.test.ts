import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent } from './admin-fixtures.js';

/** A number too large for a double (1e400) is coerced to Infinity by the validator: refused as bad input. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('non-finite numbers in the query', () => {
  it('get the translated 422 page on the storefront and in the back office, never a 500', async () => {
    const shop = await t.app.inject({ url: '/search?q=shirt&page=1e400', headers: { 'accept-language': 'es' } });
    expect(shop.statusCode).toBe(422);
    expect(shop.headers['content-type']).toMatch(/^text\/html/);
    expect(shop.body).toContain('lang="es"');
    const { agent } = await signedInAgent(t, 'admin');
    for (const path of ['/admin/products', '/admin/orders', '/admin/customers', '/admin/audit']) {
      expect((await agent.get(`${path}?page=1e400`)).status, path).toBe(422);
      expect((await agent.get(`${path}?page=2`)).status, path).toBe(200);
    }
  });
});
