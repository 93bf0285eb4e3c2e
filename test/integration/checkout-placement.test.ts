import { MongoClient, type Db, type ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartIndexes, discountIndexes, orderIndexes } from '../../src/modules/checkout/wire.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { createServices, type Services } from '../../src/services.js';
import { insertProduct, readyCart, stockOf, variantOf } from '../fixtures/shop-data.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/** The place-order steps against a real (embedded) database, without HTTP. */

let testDb: TestDb;
let db: Db;
let services: Services;
const logs: { msg: string; obj: object }[] = [];
const log = { info: (obj: object, msg: string) => void logs.push({ obj, msg }), warn: (obj: object, msg: string) => void logs.push({ obj, msg }), error: (obj: object, msg: string) => void logs.push({ obj, msg }) };

beforeAll(async () => {
  testDb = await startTestDb();
  db = testDb.database.db;
  await testDb.database.ensureIndexes([...cartIndexes, ...orderIndexes, ...discountIndexes]);
  services = createServices({ db });
  services.orders.configureSite({ baseUrl: 'http://shop.test', secret: 'x'.repeat(32) });
  services.checkout.setLog(log);
});
afterAll(async () => {
  await testDb?.close();
});

const orders = () => db.collection<OrderDoc>('orders');

describe('place order', () => {
  it('places an order: stock taken, sequential number, full snapshot, cart emptied, email filed', async () => {
    const p = await insertProduct(db, { price: 1500, variants: [{ stock: 5 }, { stock: 3, price: 1800 }] });
    const { cartId, token } = await readyCart(services, [{ variantId: variantOf(p, 0)._id, qty: 2 }, { variantId: variantOf(p, 1)._id, qty: 1 }], { email: 'snap@example.com' });
    const result = await services.checkout.place({ cartId, token, userId: null, locale: 'pt-BR', paymentMethod: 'bank_transfer' });
    expect(result.kind).toBe('placed');
    if (result.kind !== 'placed') return;
    const order = result.order;
    expect(order.status).toBe('pending_payment');
    expect(order.number).toBeGreaterThan(1000);
    expect(order.lines.map((l) => [l.sku, l.qty, l.unitPrice.amount])).toEqual([[variantOf(p, 0).sku, 2, 1500], [variantOf(p, 1).sku, 1, 1800]]);
    // 4800 goods ≥ 50.00? no → 4.95 shipping; PT VAT 23 % included: round(5295 * 23 / 123) = 990.
    expect(order.subtotal.amount).toBe(4800);
    expect(order.shipping.amount.amount).toBe(495);
    expect(order.total.amount).toBe(5295);
    expect(order.taxes[0]?.amount.amount).toBe(990);
    expect(order.payment.instructions?.reference).toBe(String(order.number));
    expect(await stockOf(db, p, 0)).toBe(3);
    expect(await stockOf(db, p, 1)).toBe(2);
    const product = await db.collection('products').findOne({ _id: p._id });
    expect(product?.stockLedger).toEqual([]);
    expect((await services.cart.findById(cartId))?.lines).toEqual([]);
    const mail = await db.collection('outbox').findOne({ to: 'snap@example.com' });
    expect(mail?.subject).toContain(String(order.number));
    expect(mail?.text).toContain('IBAN');
    // A later catalog edit does not change the order.
    await db.collection('products').updateOne({ _id: p._id }, { $set: { 'title.en': 'Renamed', price: { amount: 9999, currency: 'EUR' } } });
    const stored = await orders().findOne({ _id: order._id });
    expect(stored?.lines[0]?.title.en).toBe(p.title.en);
    expect(stored?.lines[0]?.unitPrice.amount).toBe(1500);
  });

  it('gives numbers from an atomic counter, one higher each order', async () => {
    const p = await insertProduct(db, { variants: [{ stock: 10 }] });
    const a = await readyCart(services, [{ variantId: variantOf(p)._id, qty: 1 }]);
    const b = await readyCart(services, [{ variantId: variantOf(p)._id, qty: 1 }]);
    const ra = await services.checkout.place({ ...a, userId: null, locale: 'en', paymentMethod: 'cash_on_delivery' });
    const rb = await services.checkout.place({ ...b, userId: null, locale: 'en', paymentMethod: 'cash_on_delivery' });
    if (ra.kind !== 'placed' || rb.kind !== 'placed') throw new Error('not placed');
    expect(rb.order.number).toBe(ra.order.number + 1);
    expect(ra.order.payment.instructions).toBeUndefined();
  });

  it('a placement refused after claiming its token (stock short, code used up) takes no number', async () => {
    const p = await insertProduct(db, { variants: [{ stock: 10 }] });
    const scarce = await insertProduct(db, { variants: [{ stock: 5 }] });
    await services.checkout.discounts.insert(
      { code: 'GAPLESS', kind: 'fixed', value: 100, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 5, perCustomerLimit: null, active: true },
      new Date(),
    );
    // Someone else takes the units / the last uses between the checks and the conditional updates.
    let onStep: ((step: string) => Promise<void>) | undefined;
    const racing = createServices({ db, shop: { afterStep: async (step) => onStep?.(step) } });
    racing.orders.configureSite({ baseUrl: 'http://shop.test', secret: 'x'.repeat(32) });
    const place = async (cart: { cartId: ObjectId; token: string }) => racing.checkout.place({ ...cart, userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    const first = await place(await readyCart(racing, [{ variantId: variantOf(p)._id, qty: 1 }]));

    onStep = async (step) => {
      if (step === 'claimed') await db.collection('products').updateOne({ _id: scarce._id }, { $set: { 'variants.0.stock': 0 } });
    };
    expect(await place(await readyCart(racing, [{ variantId: variantOf(scarce)._id, qty: 1 }]))).toMatchObject({ kind: 'failed', failure: { reason: 'short' } });
    onStep = async (step) => {
      if (step === 'reserved') await db.collection('discounts').updateOne({ code: 'GAPLESS' }, { $set: { uses: 5 } });
    };
    expect(await place(await readyCart(racing, [{ variantId: variantOf(p)._id, qty: 1 }], { discountCode: 'gapless' }))).toMatchObject({ kind: 'failed', failure: { reason: 'discount_used_up' } });
    onStep = undefined;

    const next = await place(await readyCart(racing, [{ variantId: variantOf(p)._id, qty: 1 }]));
    if (first.kind !== 'placed' || next.kind !== 'placed') throw new Error('not placed');
    expect(next.order.number).toBe(first.order.number + 1);
  });

  it('the same token submitted 20 times concurrently gives exactly one order', async () => {
    const p = await insertProduct(db, { variants: [{ stock: 50 }] });
    const { cartId, token } = await readyCart(services, [{ variantId: variantOf(p)._id, qty: 2 }]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => services.checkout.place({ cartId, token, userId: null, locale: 'en', paymentMethod: 'bank_transfer' })),
    );
    const ids = new Set(results.map((r) => (r.kind === 'placed' ? r.order._id.toHexString() : r.kind)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.kind === 'placed' && !r.replay)).toHaveLength(1);
    expect(await orders().countDocuments({ checkoutToken: token })).toBe(1);
    expect(await stockOf(db, p)).toBe(48);
  });

  it('releases earlier lines when a later one runs short, and names the item', async () => {
    const a = await insertProduct(db, { title: 'Plenty', variants: [{ stock: 10 }] });
    const b = await insertProduct(db, { title: 'Scarce', variants: [{ stock: 2 }] });
    const { cartId, token } = await readyCart(services, [{ variantId: variantOf(a)._id, qty: 3 }, { variantId: variantOf(b)._id, qty: 2 }]);
    // Someone else buys one of the scarce units in between.
    await db.collection('products').updateOne({ _id: b._id }, { $inc: { 'variants.0.stock': -1 } });
    const result = await services.checkout.place({ cartId, token, userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
    expect(result).toMatchObject({ kind: 'failed', failure: { reason: 'short', items: [{ title: { en: 'Scarce' }, available: 1 }] } });
    expect(await stockOf(db, a)).toBe(10);
    expect(await stockOf(db, b)).toBe(1);
    expect((await services.cart.findById(cartId))?.lines).toHaveLength(2);
  });

  it('a discount limited to 5 uses, raced by 50 checkouts, is used exactly 5 times', async () => {
    await services.checkout.discounts.insert(
      { code: 'RACE5', kind: 'percentage', value: 1000, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 5, perCustomerLimit: null, active: true },
      new Date(),
    );
    const p = await insertProduct(db, { variants: [{ stock: 100 }] });
    const carts = [];
    for (let i = 0; i < 50; i++) carts.push(await readyCart(services, [{ variantId: variantOf(p)._id, qty: 1 }], { discountCode: 'race5' }));
    const results = await Promise.all(carts.map((c) => services.checkout.place({ ...c, userId: null, locale: 'en', paymentMethod: 'bank_transfer' })));
    expect(results.filter((r) => r.kind === 'placed')).toHaveLength(5);
    expect(results.filter((r) => r.kind === 'failed' && r.failure.reason === 'discount_used_up')).toHaveLength(45);
    const discount = await services.checkout.discounts.findByCode('RACE5');
    expect(discount?.uses).toBe(5);
    expect(discount?.holds).toEqual([]);
    expect(await stockOf(db, p)).toBe(95);
  });

  it('200 carts race for 10 units over two service instances: exactly 10 orders, stock 0', async () => {
    const p = await insertProduct(db, { variants: [{ stock: 10 }] });
    const other = new MongoClient(testDb.uri);
    await other.connect();
    try {
      const second = createServices({ db: other.db(db.databaseName) });
      second.orders.configureSite({ baseUrl: 'http://shop.test', secret: 'x'.repeat(32) });
      const carts = [];
      for (let i = 0; i < 200; i++) carts.push(await readyCart(services, [{ variantId: variantOf(p)._id, qty: 1 }]));
      const results = await Promise.all(
        carts.map((c, i) => (i % 2 === 0 ? services : second).checkout.place({ ...c, userId: null, locale: 'en', paymentMethod: 'bank_transfer' })),
      );
      expect(results.filter((r) => r.kind === 'placed')).toHaveLength(10);
      expect(results.filter((r) => r.kind === 'failed' && r.failure.reason === 'short')).toHaveLength(190);
      expect(await stockOf(db, p)).toBe(0);
      expect(await orders().countDocuments({ 'lines.variantId': variantOf(p)._id, status: 'pending_payment' })).toBe(10);
      expect((await db.collection('products').findOne({ _id: p._id }))?.inStock).toBe(false);
    } finally {
      await other.close();
    }
  }, 60_000);
});
