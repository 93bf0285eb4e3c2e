import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { createServices, type Services } from '../../src/services.js';
import { HttpAgent, killAll, preparedDataDir, startShop, type HttpPage, type ShopProcess } from './multi-process-fixtures.js';

/**
 * Two app processes (the real src/server.ts, each on its own port) on one standalone embedded
 * database: the first starts it in DATA_DIR and publishes its address in DATA_DIR/db.uri, the
 * second finds it there and connects. What one process does, the other sees.
 */

const PASSWORD = 'correct horse battery staple';
let one: ShopProcess;
let two: ShopProcess;
let database: Database;
let services: Services;

beforeAll(async () => {
  const dataDir = await preparedDataDir();
  const env = { DATA_DIR: dataDir, SESSION_SECRET: 'multi-'.repeat(8) };
  one = await startShop(env);
  two = await startShop(env);
  // The test reaches the database the way the CLI tools do: through the published address.
  database = await connectDatabase(readFileSync(join(dataDir, 'db.uri'), 'utf8').trim());
  services = createServices({ db: database.db });
}, 60_000);

afterAll(async () => {
  one?.child.kill('SIGTERM');
  two?.child.kill('SIGTERM');
  await Promise.all([one?.exited, two?.exited]);
  await database?.close();
  killAll();
});

async function user(role: 'customer' | 'staff'): Promise<{ email: string; name: string }> {
  const email = `${role}-${new ObjectId().toHexString()}@example.com`;
  const name = `Multi ${role}`;
  const created = await services.accounts.register({ email, password: PASSWORD, name, locale: 'en' });
  if (role !== 'customer') await database.db.collection('users').updateOne({ _id: new ObjectId(created.id) }, { $set: { role } });
  return { email, name };
}

async function signIn(agent: HttpAgent, base: string, email: string, next: string): Promise<HttpPage> {
  const login = await agent.request(`${base}/login?next=${encodeURIComponent(next)}`);
  const done = await agent.submit(base, login, 'form.login-form', { email, password: PASSWORD });
  expect(done.status).toBe(303);
  return done;
}

async function product(price: number): Promise<ProductDoc> {
  const suffix = new ObjectId().toHexString().slice(-8);
  const category = await services.catalog.createCategory({ slug: `multi-${suffix}`, name: { en: 'Multi' } });
  return services.catalog.createProduct({
    slug: `multi-thing-${suffix}`, title: { en: 'Shared thing' }, description: { en: 'Plain.' },
    price: { amount: price, currency: 'EUR' }, categoryIds: [category._id], status: 'published',
    options: [{ code: 'size', name: { en: 'Size' }, values: [{ code: 's', label: { en: 'S' } }] }],
    variants: [{ sku: `M-${suffix}`, options: { size: 's' }, stock: 10, weight: 100 }],
  });
}

describe('two app processes on one embedded database', () => {
  it('runs as two processes: the second uses the database the first started', () => {
    expect(one.child.pid).not.toBe(two.child.pid);
    expect(one.base).not.toBe(two.base);
    expect(one.text.join('\n')).toMatch(/data: embedded database in .*\/db /);
    expect(two.text.join('\n')).toContain('data: embedded database of another running process');
  });

  it('shares the session: signed in through one, signed in through the other', async () => {
    const { email, name } = await user('customer');
    const agent = new HttpAgent();
    expect((await agent.request(`${two.base}/account`)).status).toBe(303); // not yet
    await signIn(agent, one.base, email, '/account');
    const account = await agent.request(`${two.base}/account`);
    expect(account.status).toBe(200);
    expect(account.html().querySelector('.greeting')?.text).toContain(name);
    // Signing out through the second ends the session for the first too.
    const out = await agent.submit(two.base, account, 'form[action="/logout"]');
    expect(out.status).toBe(303);
    expect((await agent.request(`${one.base}/account`)).status).toBe(303);
  });

  it('shares the cart: added through one, seen through the other', async () => {
    const p = await product(1500);
    const variantId = p.variants[0]?._id.toHexString() ?? '';
    const agent = new HttpAgent();
    const page = await agent.request(`${one.base}/p/${p.slug}`);
    expect((await agent.submit(one.base, page, 'form.add-to-cart', { quantity: '2' })).status).toBe(303);

    const cart = await agent.request(`${two.base}/cart`);
    const lines = cart.html().querySelectorAll('tr.cart-line');
    expect(lines.map((l) => [l.getAttribute('data-variant'), l.querySelector('input[name=qty]')?.getAttribute('value')])).toEqual([[variantId, '2']]);
    expect(cart.html().querySelector('.cart-link .badge')?.text.trim()).toBe('2 items');
  });

  it('shares admin changes: a price edited through one shows through the other within the cache bound', async () => {
    const p = await product(1990);
    const visitor = new HttpAgent();
    const priceOnTwo = async () => (await visitor.request(`${two.base}/p/${p.slug}`)).html().querySelector('.price strong')?.text;
    expect(await priceOnTwo()).toBe('€19.90'); // now cached by the second process

    const staff = new HttpAgent();
    const { email } = await user('staff');
    await signIn(staff, one.base, email, '/admin');
    const form = await staff.request(`${one.base}/admin/products/${p._id.toHexString()}`);
    expect(form.status).toBe(200);
    const saved = await staff.submit(one.base, form, 'form.product-form', { price: '24,50' });
    expect(saved.status).toBe(303);
    const savedAt = performance.now();

    let seen = await priceOnTwo();
    while (seen !== '€24.50' && performance.now() - savedAt < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await priceOnTwo();
    }
    expect(seen).toBe('€24.50');
    // The catalog cache checks its version once a second; product pages live about a second.
    expect(performance.now() - savedAt).toBeLessThan(2500);
  });
});
