import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, ObjectId } from 'mongodb';
import { cartIndexes, discountIndexes, orderIndexes } from '../../src/modules/checkout/wire.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { createServices, type Services } from '../../src/services.js';
import { insertProduct, readyCart, stockOf, variantOf } from '../fixtures/shop-data.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/** Reconciliation of interrupted placements, cancellation races and the auto-cancel job. */

let testDb: TestDb;
let db: Db;
let now = new Date('2030-01-10T12:00:00Z');
const clock = () => now;
const logs: { msg: string; obj: object }[] = [];
const log = { info: (obj: object, msg: string) => void logs.push({ obj, msg }), warn: (obj: object, msg: string) => void logs.push({ obj, msg }), error: (obj: object, msg: string) => void logs.push({ obj, msg }) };

function servicesWith(afterStep?: (step: string, id: ObjectId) => Promise<void>): Services {
  const s = createServices({ db, clock, shop: { leaseMs: 1000, ...(afterStep ? { afterStep } : {}) } });
  s.orders.configureSite({ baseUrl: 'http://shop.test', secret: 'y'.repeat(32) });
  s.checkout.setLog(log);
  return s;
}

beforeAll(async () => {
  testDb = await startTestDb();
  db = testDb.database.db;
  await testDb.database.ensureIndexes([...cartIndexes, ...orderIndexes, ...discountIndexes]);
});
afterAll(async () => {
  await testDb?.close();
});

describe('reconciliation', () => {
  it('releases the reservations and discount use of a placement that died half-way, and logs it', async () => {
    await servicesWith().checkout.discounts.insert(
      { code: 'CRASH', kind: 'fixed', value: 100, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 3, perCustomerLimit: 1, active: true }, now,
    );
    const a = await insertProduct(db, { variants: [{ stock: 5 }] });
    const b = await insertProduct(db, { variants: [{ stock: 5 }] });
    // "Crash" right after the order was placed in the database but before its holds were settled,
    // and another one after the first line was reserved.
    class Crash extends Error {}
    const dying = servicesWith(async (step) => {
      if (step === 'reserved') throw new Crash('killed');
    });
    const c1 = await readyCart(dying, [{ variantId: variantOf(a)._id, qty: 2 }, { variantId: variantOf(b)._id, qty: 1 }], { discountCode: 'CRASH' });
    await expect(dying.checkout.place({ ...c1, userId: null, locale: 'en', paymentMethod: 'bank_transfer' })).rejects.toBeInstanceOf(Crash);
    expect(await stockOf(db, a)).toBe(3);

    const dyingLate = servicesWith(async (step) => {
      if (step === 'placed') throw new Crash('killed');
    });
    const c2 = await readyCart(dyingLate, [{ variantId: variantOf(b)._id, qty: 2 }], { discountCode: 'CRASH' });
    await expect(dyingLate.checkout.place({ ...c2, userId: null, locale: 'en', paymentMethod: 'bank_transfer' })).rejects.toBeInstanceOf(Crash);
    expect(await stockOf(db, b)).toBe(3);

    // Within the lease nothing is touched (the placement may still be running elsewhere).
    const healthy = servicesWith();
    const early = await healthy.checkout.reconcile();
    expect(early.abandonedOrders).toEqual([]);
    expect(early.releasedReservations + early.settledReservations).toBe(0);
    // A placed order's discount hold may be settled at once (no lease to wait for).
    expect(early.settledDiscountUses).toBe(1);
    now = new Date(now.getTime() + 5000);
    const report = await healthy.checkout.reconcile();
    expect(report.abandonedOrders).toHaveLength(1);
    expect(report.releasedReservations).toBe(1);
    expect(report.settledReservations).toBe(1);
    expect(report.releasedDiscountUses).toBe(0); // the first died before counting its use
    expect(report.resentConfirmations).toBe(1);
    expect(await stockOf(db, a)).toBe(5);
    expect(await stockOf(db, b)).toBe(3);
    const orders = await db.collection<OrderDoc>('orders').find({ cartId: { $in: [c1.cartId, c2.cartId] } }).toArray();
    expect(orders.map((o) => o.status).sort()).toEqual(['failed', 'pending_payment']);
    const discount = await healthy.checkout.discounts.findByCode('CRASH');
    expect(discount?.uses).toBe(1);
    expect(discount?.holds).toEqual([]);
    expect(logs.some((l) => l.msg === 'reconciliation repaired interrupted work')).toBe(true);
    // Running it again changes nothing.
    const again = await healthy.checkout.reconcile();
    expect(again.releasedReservations + again.settledReservations + again.abandonedOrders.length).toBe(0);
    expect(await stockOf(db, a)).toBe(5);
  });
});

describe('cancellation', () => {
  it('ten concurrent cancels restore the stock exactly once', async () => {
    const s = servicesWith();
    const p = await insertProduct(db, { variants: [{ stock: 6 }] });
    const c = await readyCart(s, [{ variantId: variantOf(p)._id, qty: 4 }]);
    const r = await s.checkout.place({ ...c, userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    if (r.kind !== 'placed') throw new Error(r.kind);
    expect(await stockOf(db, p)).toBe(2);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.orders.cancel(r.order._id, i % 2 ? 'staff' : 'customer')));
    expect(results.filter((x) => x !== null)).toHaveLength(1);
    expect(await stockOf(db, p)).toBe(6);
  });

  it('the customer may not cancel after the window; a paid order cannot be cancelled', async () => {
    const s = servicesWith();
    const p = await insertProduct(db, { variants: [{ stock: 6 }] });
    const r1 = await s.checkout.place({ ...(await readyCart(s, [{ variantId: variantOf(p)._id, qty: 1 }])), userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    const r2 = await s.checkout.place({ ...(await readyCart(s, [{ variantId: variantOf(p)._id, qty: 1 }])), userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    if (r1.kind !== 'placed' || r2.kind !== 'placed') throw new Error('not placed');
    expect(await s.orders.markPaid(r2.order._id, 'staff')).not.toBeNull();
    now = new Date(now.getTime() + 25 * 3600_000);
    expect(await s.orders.cancel(r1.order._id, 'customer')).toBeNull();
    expect(await s.orders.cancel(r2.order._id, 'staff')).toBeNull();
    expect(await stockOf(db, p)).toBe(4);
    expect(await s.orders.cancel(r1.order._id, 'staff')).not.toBeNull();
    expect(await stockOf(db, p)).toBe(5);
  });

  it('auto-cancels unpaid bank-transfer orders after the configured days, not cash on delivery', async () => {
    const s = servicesWith();
    const p = await insertProduct(db, { variants: [{ stock: 10 }] });
    const bank = await s.checkout.place({ ...(await readyCart(s, [{ variantId: variantOf(p)._id, qty: 3 }])), userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    const cod = await s.checkout.place({ ...(await readyCart(s, [{ variantId: variantOf(p)._id, qty: 2 }])), userId: null, locale: 'en', paymentMethod: 'cash_on_delivery' });
    if (bank.kind !== 'placed' || cod.kind !== 'placed') throw new Error('not placed');
    now = new Date(now.getTime() + 6 * 24 * 3600_000);
    await s.orders.autoCancelUnpaid();
    expect((await s.orders.get(bank.order._id))?.status).toBe('pending_payment');
    now = new Date(now.getTime() + 2 * 24 * 3600_000);
    await s.orders.autoCancelUnpaid();
    expect((await s.orders.get(bank.order._id))?.status).toBe('cancelled');
    expect((await s.orders.get(cod.order._id))?.status).toBe('pending_payment');
    expect(await stockOf(db, p)).toBe(8);
  });
});
