import { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import type { CartService } from '../cart/service.js';
import type { StockStore } from '../catalog/stock.js';
import type { OrderRepository } from '../orders/repository.js';
import { isPlaced, reserveKey, type OrderDoc, type PlacedOrder, type PlacementFailure, type ShortLine } from '../orders/types.js';
import type { PaymentProviders } from '../payments/providers.js';
import type { PaymentMethodId } from '../payments/types.js';
import type { DiscountRejection, DiscountRepository } from './discounts.js';
import { checkDiscount } from './discounts.js';
import { buildDraft, customerKey, type CheckoutStep } from './draft.js';
import type { CheckoutSettingsRepository } from './settings.js';

/**
 * Placing an order, as explicit steps each with its undo (no multi-document transaction):
 *
 *  1. validate the cart (fresh prices and stock) and the checkout answers;
 *  2. claim the checkout token: insert the order as `placing` with its planned lines — the unique
 *     index on the token turns a double click or a replay into "that order already exists", and the
 *     document is the journal a start-up reconciliation reads after a crash;
 *  3. reserve stock line by line (conditional `$inc`) — undo: release the lines already reserved;
 *  4. count the discount use (total and per customer, conditional `$inc`) — undo: uncount;
 *  5. take the next order number from an atomic counter. Numbers are increasing, not gap-free: a
 *     placement refused at 3 or 4 takes none, one that dies or times out after 5 leaves a gap;
 *  6. authorize the payment and mark the order `pending_payment` (only if still `placing`);
 *  7. settle: forget the reservation and discount holds (the stock stays taken);
 *  8. empty the cart; 9. send the confirmation email (retried by the reconciliation if it fails).
 */

export type PlaceOutcome =
  | { kind: 'placed'; order: PlacedOrder; replay: boolean }
  | { kind: 'failed'; failure: PlacementFailure }
  | { kind: 'incomplete'; step: CheckoutStep }
  | { kind: 'payment' }
  /** The code no longer passes its checks (the reason names the message; `used_up` is a failure). */
  | { kind: 'discount'; reason: Exclude<DiscountRejection, 'used_up'> }
  | { kind: 'stale' }
  | { kind: 'busy' };

export interface PlaceRequest {
  cartId: ObjectId;
  token: string;
  userId: ObjectId | null;
  locale: Locale;
  paymentMethod: PaymentMethodId;
}

export interface PlaceOrderDeps {
  carts: CartService;
  stock: StockStore;
  orders: OrderRepository;
  discounts: DiscountRepository;
  settings: CheckoutSettingsRepository;
  payments: PaymentProviders;
  /** Sends the confirmation; failures are logged and retried later, never undo the order. */
  confirm: (order: PlacedOrder) => Promise<void>;
  clock: () => Date;
  /** How long a placement may run before the reconciliation treats it as abandoned. */
  leaseMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Test hook: runs between steps (lets tests stop a placement half-way). */
  afterStep?: (step: string, orderId: ObjectId) => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createPlaceOrder(deps: PlaceOrderDeps) {
  const { carts, stock, orders, discounts, clock, log } = deps;

  /** Another request holds this token: wait for its outcome (a double click, or a retry after an error page). */
  async function awaitExisting(token: string, cartId: ObjectId): Promise<PlaceOutcome> {
    for (let i = 0; i < 200; i++) {
      const existing = await orders.findByToken(token);
      if (!existing || !existing.cartId.equals(cartId)) return { kind: 'stale' };
      if (isPlaced(existing)) {
        // The first submit may have died after placing (database gone, 503) with the cart still
        // full: empty it now (only while it still holds this token). Its holds and confirmation
        // email are the reconciliation's (a concurrent first submit may still be sending it).
        await carts.emptyAfterOrder(cartId, token);
        return { kind: 'placed', order: existing, replay: true };
      }
      if (existing.status === 'failed') {
        await carts.dropCheckoutToken(cartId, token);
        return { kind: 'failed', failure: existing.placement.failure ?? { reason: 'interrupted' } };
      }
      await sleep(25);
    }
    return { kind: 'busy' };
  }

  async function undo(order: OrderDoc, reserved: number, counted: { total: boolean; customer: boolean }, failure: PlacementFailure): Promise<void> {
    for (const line of order.lines.slice(0, reserved)) await stock.release(reserveKey(order._id, line.variantId), line.productId);
    const holder = order._id.toHexString();
    if (order.discount && counted.total) await discounts.unclaim(order.discount.id, holder);
    if (order.discount && counted.customer) await discounts.unclaimForCustomer(order.discount.id, order.discount.customerKey, holder);
    await orders.failPlacement(order._id, failure, clock(), 'placement');
    // The token is spent on this failed order: without a new one the same form would fail forever.
    await carts.dropCheckoutToken(order.cartId, order.checkoutToken);
  }

  return async function placeOrder(request: PlaceRequest): Promise<PlaceOutcome> {
    const { cartId, token } = request;
    if (await orders.findByToken(token)) return awaitExisting(token, cartId);

    // 1. Validate.
    const cart = await carts.findById(cartId);
    if (!cart || cart.checkout.token !== token) return { kind: 'stale' };
    const view = await carts.viewOf(cart);
    if (view.lines.length === 0) return { kind: 'stale' };
    const short: ShortLine[] = view.lines.filter((l) => l.problem !== undefined).map((l) => ({ title: l.variant.title, available: l.problem === 'insufficient_stock' ? l.variant.stock : 0 }));
    if (short.length > 0) return { kind: 'failed', failure: { reason: 'short', items: short } };
    const settings = await deps.settings.get();
    const provider = deps.payments.get(request.paymentMethod);
    if (!provider) return { kind: 'payment' };
    const email = cart.checkout.email ?? '';
    const custKey = customerKey(request.userId, email);
    let discount = null;
    if (cart.checkout.discountCode) {
      discount = await discounts.findByCode(cart.checkout.discountCode);
      const used = discount ? await discounts.customerUses(discount._id, custKey) : 0;
      const rejected = checkDiscount(discount, view.subtotal.amount, clock(), used);
      if (rejected === 'used_up') return { kind: 'failed', failure: { reason: 'discount_used_up' } };
      if (rejected) return { kind: 'discount', reason: rejected };
    }
    const draft = buildDraft(view, cart.checkout, settings, discount);
    if ('missing' in draft) return { kind: 'incomplete', step: draft.missing };

    // 2. Claim the token with the intent document.
    const now = clock();
    const order: OrderDoc = {
      _id: new ObjectId(),
      number: null,
      checkoutToken: token,
      cartId,
      userId: request.userId,
      email: draft.email,
      locale: request.locale,
      status: 'placing',
      lines: draft.lines,
      address: draft.address,
      shipping: { methodId: draft.shipping.id, name: draft.shipping.name, amount: draft.totals.shipping, pickup: draft.shipping.kind === 'pickup' },
      discount: draft.discount && draft.totals.discount
        ? { id: draft.discount._id, code: draft.discount.code, amount: draft.totals.discount.amount, customerKey: custKey, perCustomer: draft.discount.perCustomerLimit !== null }
        : null,
      subtotal: draft.totals.subtotal,
      taxes: draft.totals.taxes,
      pricesIncludeTax: draft.totals.pricesIncludeTax,
      total: draft.totals.total,
      currency: view.currency,
      payment: { method: provider.id, status: 'awaiting' },
      placement: { leaseUntil: new Date(now.getTime() + deps.leaseMs) },
      history: [{ status: 'placing', at: now, by: 'customer' }],
      createdAt: now,
      updatedAt: now,
    };
    if ((await orders.insertIntent(order)) === 'duplicate') return awaitExisting(token, cartId);
    await deps.afterStep?.('claimed', order._id);

    // 3. Reserve stock, line by line.
    let reserved = 0;
    for (const line of order.lines) {
      const ok = await stock.reserve({ key: reserveKey(order._id, line.variantId), productId: line.productId, variantId: line.variantId, qty: line.qty });
      if (!ok) {
        const available = (await stock.stockOf(line.productId, line.variantId)) ?? 0;
        await undo(order, reserved, { total: false, customer: false }, { reason: 'short', items: [{ title: line.title, available }] });
        return { kind: 'failed', failure: { reason: 'short', items: [{ title: line.title, available }] } };
      }
      reserved++;
      await deps.afterStep?.('reserved', order._id);
    }

    // 4. Count the discount use.
    const holder = order._id.toHexString();
    const counted = { total: false, customer: false };
    if (order.discount && draft.discount) {
      counted.total = await discounts.claim(draft.discount, holder);
      if (counted.total && draft.discount.perCustomerLimit !== null) {
        counted.customer = await discounts.claimForCustomer(draft.discount._id, custKey, draft.discount.perCustomerLimit, holder);
      }
      if (!counted.total || (draft.discount.perCustomerLimit !== null && !counted.customer)) {
        await undo(order, reserved, counted, { reason: 'discount_used_up' });
        return { kind: 'failed', failure: { reason: 'discount_used_up' } };
      }
    }

    // 5. Number: taken only now that stock and discount are secured, so a refused order (short,
    // code used up) takes none; only a placement that dies in its last step leaves a gap.
    order.number = await orders.nextNumber();
    await orders.setNumber(order._id, order.number, clock());

    // 6. Payment and the order itself.
    const payment = await provider.authorize({ orderId: holder, number: order.number, total: order.total });
    const paymentDoc = { method: provider.id, status: payment.status, ...(payment.instructions ? { instructions: payment.instructions } : {}), ...(payment.reference ? { reference: payment.reference } : {}) };
    const placedAt = clock();
    if (!(await orders.completePlacement(order._id, { payment: paymentDoc }, placedAt))) {
      // The reconciliation gave up on us (lease over): it releases everything; make sure of it.
      await undo(order, reserved, counted, { reason: 'interrupted' });
      return { kind: 'failed', failure: { reason: 'interrupted' } };
    }
    await deps.afterStep?.('placed', order._id);

    // 7. Settle the holds: the stock stays taken, the use stays counted.
    await stock.forget(order.lines.map((l) => reserveKey(order._id, l.variantId)), order.lines.map((l) => l.productId));
    if (order.discount) {
      await discounts.settle(order.discount.id, holder);
      if (counted.customer) await discounts.settleForCustomer(order.discount.id, custKey, holder);
    }

    // 8. Empty the cart; 9. confirmation.
    await carts.emptyAfterOrder(cartId, token);
    const placed: PlacedOrder = { ...order, number: order.number, status: 'pending_payment', payment: paymentDoc, placedAt, history: [...order.history, { status: 'pending_payment', at: placedAt, by: 'customer' }] };
    try {
      await deps.confirm(placed);
    } catch (error) {
      log.error({ err: error, order: placed.number }, 'order confirmation email failed; the reconciliation retries it');
    }
    log.info({ order: placed.number, total: placed.total.amount, lines: placed.lines.length }, 'order placed');
    return { kind: 'placed', order: placed, replay: false };
  };
}

export type PlaceOrder = ReturnType<typeof createPlaceOrder>;
