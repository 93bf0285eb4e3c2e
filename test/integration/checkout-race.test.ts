import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { insertProduct, stockOf, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/**
 * The oversell proof over HTTP: 200 shoppers, each with their own session and cart, press "Place
 * order" at the same moment for a variant with 10 in stock; the requests are spread over two app
 * instances (two buildApp, two connection pools) that share one database.
 */

let testDb: TestDb;
let one: TestApp;
let two: TestApp;
beforeAll(async () => {
  testDb = await startTestDb();
  // One shop, two processes: the same secret signs the cookies of both.
  const env = { SESSION_SECRET: 'race-'.repeat(8) };
  one = await createTestApp({ testDb, env });
  two = await createTestApp({ testDb, env });
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await testDb?.close();
});

/** Fills one shopper's cart and checkout on app one; returns the review page (with its token). */
async function shopperAtReview(variantId: string, n: number): Promise<{ agent: TestAgent; review: Page }> {
  const agent = new TestAgent(one.app);
  const csrf = (await agent.get('/login')).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  const post = async (url: string, values: Record<string, string>) => {
    const page = await agent.post(url, { ...values, _csrf: csrf });
    if (page.status !== 303) throw new Error(`${url}: ${page.status}`);
  };
  await post('/cart/add', { variantId, qty: '1' });
  await post('/checkout/contact', { email: `racer${n}@example.com` });
  await post('/checkout/address', { fullName: `Racer ${n}`, line1: 'Rua Augusta 10', line2: '', city: 'Lisboa', region: '', postalCode: '1100-148', country: 'PT', phone: '' });
  await post('/checkout/shipping', { method: 'standard' });
  await post('/checkout/discount', { action: 'skip' });
  const review = await agent.get('/checkout/review');
  if (review.status !== 200) throw new Error(`review: ${review.status} ${review.location ?? ''}`);
  return { agent, review };
}

describe('no oversell under concurrency', () => {
  it('200 concurrent place-order requests over two app instances for 10 units: 10 orders, stock 0', async () => {
    const p = await insertProduct(one.db, { title: 'Last units', variants: [{ stock: 10 }] });
    const variantId = variantOf(p)._id.toHexString();
    const shoppers: { agent: TestAgent; review: Page }[] = [];
    for (let batch = 0; batch < 10; batch++) {
      shoppers.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => shopperAtReview(variantId, batch * 20 + i)))));
    }
    expect(new Set(shoppers.map((s) => s.review.html().querySelector('input[name=token]')?.getAttribute('value'))).size).toBe(200);

    // Both instances' in-process settings caches checked just now: neither starts the burst with a
    // version check to wait for, which would hand the other all ten units.
    await Promise.all([one.services.site.getSettings(), two.services.site.getSettings()]);
    // Every other shopper's request goes to the second instance (same session cookie: sessions live in the database).
    const results = await Promise.all(
      shoppers.map(({ agent, review }, i) => {
        let client = agent;
        if (i % 2 === 1) {
          client = new TestAgent(two.app);
          for (const [k, v] of agent.cookies) client.cookies.set(k, v);
        }
        return client.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
      }),
    );
    const placed = results.filter((r) => /^\/checkout\/done\/[0-9a-f]{24}$/.test(r.location ?? ''));
    expect(results.filter((r) => r.status !== 303).map((r) => `${r.status} ${r.body.slice(0, 300)}`)).toEqual([]);
    expect(placed).toHaveLength(10);
    // Both instances placed orders, and the others were sent back to the cart with the shortage.
    const byInstance = [0, 1].map((k) => results.filter((r, i) => i % 2 === k && placed.includes(r)).length);
    expect(byInstance.every((n) => n > 0)).toBe(true);
    expect(results.filter((r) => r.location === '/cart')).toHaveLength(190);

    expect(await stockOf(one.db, p)).toBe(0);
    const orders = await one.db.collection<OrderDoc>('orders').find({ 'lines.variantId': variantOf(p)._id }).toArray();
    expect(orders.filter((o) => o.status === 'pending_payment')).toHaveLength(10);
    expect(orders.filter((o) => o.status === 'placing')).toHaveLength(0);
    expect(new Set(orders.filter((o) => o.number !== null && o.status === 'pending_payment').map((o) => o.number)).size).toBe(10);
    const product = await one.db.collection('products').findOne({ _id: p._id });
    expect(product?.stockLedger).toEqual([]);

    // A loser sees which item ran short.
    const loser = shoppers[results.findIndex((r) => r.location === '/cart')];
    const cart = await loser?.agent.get('/cart');
    expect(cart?.html().querySelector('.flash-error')?.text.trim()).toBe('“Last units” has just sold out. Please remove it from your cart.');
  }, 120_000);
});
