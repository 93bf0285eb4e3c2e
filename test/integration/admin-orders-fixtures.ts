import type { ObjectId } from 'mongodb';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { PlacedOrder } from '../../src/modules/orders/types.js';
import type { Locale } from '../../src/i18n/locales.js';
import type { Page } from '../helpers/agent.js';
import type { TestApp } from '../helpers/test-app.js';
import { insertProduct, readyCart, stockOf } from '../fixtures/shop-data.js';

/** Real orders (placed through the checkout's own steps) for the back-office order tests. */

export interface PlacedFixture {
  order: PlacedOrder;
  product: ProductDoc;
  stock: () => Promise<number>;
}

export async function placeOrder(
  t: TestApp,
  options: { stock?: number; qty?: number; email?: string; locale?: Locale; shipping?: string; status?: 'paid' } = {},
): Promise<PlacedFixture> {
  const product = await insertProduct(t.db, { price: 1500, variants: [{ stock: options.stock ?? 5 }] });
  const variant = product.variants[0];
  if (!variant) throw new Error('no variant');
  const { cartId, token } = await readyCart(t.services, [{ variantId: variant._id, qty: options.qty ?? 2 }], { email: options.email, shipping: options.shipping });
  const result = await t.services.checkout.place({ cartId, token, userId: null, locale: options.locale ?? 'en', paymentMethod: 'bank_transfer' });
  if (result.kind !== 'placed') throw new Error(`not placed: ${result.kind}`);
  let order = result.order;
  if (options.status === 'paid') {
    const paid = await t.services.orders.markPaid(order._id, 'test');
    if (!paid) throw new Error('not paid');
    order = paid;
  }
  return { order, product, stock: () => stockOf(t.db, product) };
}

export async function statusOf(t: TestApp, id: ObjectId): Promise<string | undefined> {
  return (await t.services.orders.get(id))?.status;
}

export const text = (page: Page, selector: string): string => (page.html().querySelector(selector)?.text ?? '').replace(/\s+/g, ' ').trim();

export async function outboxFor(t: TestApp, to: string): Promise<{ template: string; subject: string; text: string }[]> {
  return t.db.collection<{ template: string; subject: string; text: string; to: string }>('outbox').find({ to }).sort({ createdAt: 1 }).toArray();
}

export async function auditFor(t: TestApp, number: number): Promise<{ action: string; actor: { email: string }; before: unknown; after: unknown }[]> {
  return t.db.collection<{ action: string; actor: { email: string }; before: unknown; after: unknown }>('audit_log').find({ 'entity.type': 'order', 'entity.id': String(number) }).sort({ at: 1 }).toArray();
}
