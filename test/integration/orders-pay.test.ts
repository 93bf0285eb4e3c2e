import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectId } from 'mongodb';
import { createStockStore } from '../../src/modules/catalog/stock.js';
import { createCheckoutSettingsRepository } from '../../src/modules/checkout/settings.js';
import { createOrderRepository } from '../../src/modules/orders/repository.js';
import { createDiscountRepository } from '../../src/modules/checkout/discounts.js';
import { createOrdersService } from '../../src/modules/orders/service.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import type { PaymentProvider, PaymentResult } from '../../src/modules/payments/types.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';
import { insertOrder } from './admin-fixtures.js';

/**
 * Recording a payment: the status change is claimed before the provider is asked to capture, so
 * a double submit captures once; a failed capture puts the order back to pending_payment.
 */

function gateway(result: () => Promise<PaymentResult>) {
  const captured: string[] = [];
  const provider: PaymentProvider = {
    id: 'bank_transfer',
    autoCancelUnpaid: true,
    authorize: async () => ({ status: 'awaiting' }),
    async capture(order) {
      captured.push(order.orderId);
      // Slow, like a real gateway: a second submit arrives while the first is still capturing.
      await new Promise((resolve) => setTimeout(resolve, 30));
      return result();
    },
    refund: async () => ({ status: 'refunded' }),
    handleWebhook: async () => null,
  };
  return { provider, captured };
}

describe('orders.pay / markPaid', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await startTestDb();
  });
  afterAll(async () => testDb?.close());

  function service(provider: PaymentProvider, mails: string[] = []) {
    const { db } = testDb.database;
    return createOrdersService({
      repository: createOrderRepository(db), discounts: createDiscountRepository(db), stock: createStockStore(db), settings: createCheckoutSettingsRepository(db),
      payments: new Map([[provider.id, provider]]), sendConfirmation: async () => undefined,
      sendPaymentReceived: async (o) => {
        mails.push(o.email);
      },
      clock: () => new Date(), log: { info: () => undefined, warn: () => undefined },
    });
  }
  const read = (id: ObjectId) => testDb.database.db.collection<OrderDoc>('orders').findOne({ _id: id });

  it('captures once when the same order is marked paid twice at the same time', async () => {
    const { provider, captured } = gateway(async () => ({ status: 'captured' }));
    const mails: string[] = [];
    const orders = service(provider, mails);
    const order = await insertOrder(testDb.database.db, { placedAt: new Date(), total: 1500, status: 'pending_payment' });

    const [a, b] = await Promise.all([orders.markPaid(order._id, 'staff-a'), orders.markPaid(order._id, 'staff-b')]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    expect(captured).toEqual([order._id.toHexString()]);
    expect(mails).toEqual([order.email]);
    const stored = await read(order._id);
    expect(stored?.status).toBe('paid');
    expect(stored?.payment.status).toBe('captured');
    expect(stored?.history.filter((h) => h.status === 'paid')).toHaveLength(1);
  });

  it('refuses an order that is not awaiting payment without asking the provider', async () => {
    const { provider, captured } = gateway(async () => ({ status: 'captured' }));
    const order = await insertOrder(testDb.database.db, { placedAt: new Date(), total: 900, status: 'cancelled' });
    expect(await service(provider).pay(order._id, 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(captured).toEqual([]);
    expect((await read(order._id))?.status).toBe('cancelled');
  });

  it.each([
    ['declines', async (): Promise<PaymentResult> => ({ status: 'failed' })],
    ['throws', async (): Promise<PaymentResult> => Promise.reject(new Error('gateway down'))],
  ])('puts the order back to pending_payment when the gateway %s, and a retry can succeed', async (_name, fail) => {
    let outcome = fail;
    const { provider, captured } = gateway(() => outcome());
    const mails: string[] = [];
    const orders = service(provider, mails);
    const order = await insertOrder(testDb.database.db, { placedAt: new Date(), total: 700, status: 'pending_payment' });

    expect(await orders.pay(order._id, 'staff')).toEqual({ ok: false, reason: 'payment' });
    const after = await read(order._id);
    expect(after?.status).toBe('pending_payment');
    expect(after?.payment.status).toBe('failed');
    expect(after?.paidAt).toBeUndefined();
    expect(mails).toEqual([]);

    outcome = async () => ({ status: 'captured' });
    const retry = await orders.pay(order._id, 'staff');
    expect(retry.ok && retry.order.status).toBe('paid');
    expect(retry.ok && retry.mailed).toBe(true);
    expect(captured).toHaveLength(2);
    expect((await read(order._id))?.payment.status).toBe('captured');
  });
});
