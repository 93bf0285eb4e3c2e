import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartIndexes, discountIndexes, orderIndexes } from '../../src/modules/checkout/wire.js';
import type { OrderDoc, PlacedOrder } from '../../src/modules/orders/types.js';
import { createServices, type Services } from '../../src/services.js';
import { insertProduct, readyCart, variantOf } from '../fixtures/shop-data.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/** A cancelled or refunded order gives its discount-code use back, total and per customer, exactly once. */

let testDb: TestDb;
let db: Db;
let services: Services;
let now = new Date();
const staff = { id: new ObjectId().toHexString(), email: 'staff@example.com', ip: '127.0.0.1' };

beforeAll(async () => {
  testDb = await startTestDb();
  db = testDb.database.db;
  await testDb.database.ensureIndexes([...cartIndexes, ...orderIndexes, ...discountIndexes]);
  services = createServices({ db, clock: () => now });
  services.orders.configureSite({ baseUrl: 'http://shop.test', secret: 'x'.repeat(32) });
});
afterAll(async () => {
  await testDb?.close();
});

let seq = 0;
/** A fresh code limited to one use in total and one per customer. */
async function oneUseCode(): Promise<string> {
  const code = `ONCE${++seq}${Date.now() % 100000}`;
  await services.checkout.discounts.insert(
    { code, kind: 'fixed', value: 100, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 1, perCustomerLimit: 1, active: true },
    now,
  );
  return code;
}

async function placeWith(code: string, email: string): Promise<PlacedOrder> {
  const p = await insertProduct(db, { price: 2000, variants: [{ stock: 10 }] });
  const cart = await readyCart(services, [{ variantId: variantOf(p)._id, qty: 1 }], { email, discountCode: code });
  const result = await services.checkout.place({ ...cart, userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
  if (result.kind !== 'placed') throw new Error(`not placed: ${JSON.stringify(result)}`);
  expect(result.order.discount?.code).toBe(code);
  return result.order;
}

async function counts(code: string, email: string) {
  const d = await services.checkout.discounts.findByCode(code);
  if (!d) throw new Error('code vanished');
  return { uses: d.uses, customer: await services.checkout.discounts.customerUses(d._id, `email:${email}`), returned: d.returned ?? [] };
}

describe('discount use given back', () => {
  it('a code limited to one use can be used again after its order is cancelled; a second cancel gives back nothing', async () => {
    const code = await oneUseCode();
    const email = `once-${seq}@example.com`;
    const first = await placeWith(code, email);
    expect(await counts(code, email)).toEqual({ uses: 1, customer: 1, returned: [] });
    // Used up: a second checkout with the code is refused.
    await expect(placeWith(code, email)).rejects.toThrow(/used_up/);

    expect(await services.orders.cancel(first._id, 'customer')).not.toBeNull();
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 0, returned: [] });
    expect((await db.collection<OrderDoc>('orders').findOne({ _id: first._id }))?.discountReturn).toBe('done');

    // Cancelling again (another click, the auto-cancel job, staff): nothing moves, nothing comes back.
    expect(await services.orders.cancel(first._id, 'auto')).toBeNull();
    const again = await services.adminOrders.changeStatus(staff, first.number, 'cancel');
    expect(again.ok).toBe(false);
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 0, returned: [] });

    // The same customer may use it again.
    const second = await placeWith(code, email);
    expect(second.number).toBeGreaterThan(first.number);
    expect(await counts(code, email)).toEqual({ uses: 1, customer: 1, returned: [] });
  });

  it('staff cancel of a paid order and refund of a fulfilled one give the use back once each', async () => {
    for (const path of ['cancel-paid', 'refund-fulfilled'] as const) {
      const code = await oneUseCode();
      const email = `staff-${seq}@example.com`;
      const order = await placeWith(code, email);
      expect((await services.adminOrders.changeStatus(staff, order.number, 'paid')).ok).toBe(true);
      if (path === 'refund-fulfilled') expect((await services.adminOrders.fulfil(staff, order.number, { carrier: 'CTT', code: 'RR1', url: '' })).ok).toBe(true);
      const action = path === 'cancel-paid' ? 'cancel' : 'refund';
      // Two submits of the same button, at once: one wins.
      const results = await Promise.all([services.adminOrders.changeStatus(staff, order.number, action), services.adminOrders.changeStatus(staff, order.number, action)]);
      expect(results.filter((r) => r.ok), path).toHaveLength(1);
      expect(await counts(code, email), path).toEqual({ uses: 0, customer: 0, returned: [] });
    }
  });

  it('a return cut short by a crash is finished by the reconciliation, without counting twice', async () => {
    const code = await oneUseCode();
    const email = `crash-${seq}@example.com`;
    const order = await placeWith(code, email);
    // The crash: the order is cancelled and the total count given back, then the process died.
    await db.collection<OrderDoc>('orders').updateOne({ _id: order._id }, { $set: { status: 'cancelled', restock: 'done', discountReturn: 'due', updatedAt: now } });
    const discount = await services.checkout.discounts.findByCode(code);
    if (!discount || !order.discount) throw new Error('no discount');
    expect(await services.checkout.discounts.giveBack(discount._id, order._id.toHexString())).toBe(true);
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 1, returned: [order._id.toHexString()] });

    // A live canceller still owns it for a lease: the reconciliation leaves it alone.
    expect((await services.checkout.reconcile()).finishedDiscountReturns).toBe(0);
    now = new Date(now.getTime() + 5 * 60_000);
    expect((await services.checkout.reconcile()).finishedDiscountReturns).toBe(1);
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 0, returned: [] });
    expect((await db.collection<OrderDoc>('orders').findOne({ _id: order._id }))?.discountReturn).toBe('done');
    expect((await services.checkout.reconcile()).finishedDiscountReturns).toBe(0);
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 0, returned: [] });
  });

  it('never counts below zero (a code whose counter staff reset)', async () => {
    const code = await oneUseCode();
    const email = `zero-${seq}@example.com`;
    const order = await placeWith(code, email);
    await db.collection('discounts').updateOne({ code }, { $set: { uses: 0 } });
    expect(await services.orders.cancel(order._id, 'customer')).not.toBeNull();
    expect(await counts(code, email)).toEqual({ uses: 0, customer: 0, returned: [] });
  });
});
