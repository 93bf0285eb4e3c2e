import type { PaymentProviders } from '../payments/providers.js';
import type { PaymentOrder, PaymentStatus } from '../payments/types.js';
import type { OrderMailer } from './mailer.js';
import type { OrderRepository } from './repository.js';
import { CANCEL_DUE, type OrdersService } from './service.js';
import type { StaffOrderRepository } from './staff-repository.js';
import { allowedFrom, isPlaced, type OrderDoc, type OrderEvent, type OrderStatus, type PlacedOrder } from './types.js';

/**
 * What staff do to an order (issue 7 point 5). Every status change is ONE conditional update on the
 * current status (repository.transition): of two identical submits only one moves the order, and
 * only that one goes on to the side effects (stock back, payment provider, email), so each happens
 * exactly once. Stock comes back through `restock: 'due'` + the ledger, which a crash half-way
 * leaves for the reconciliation (orders.finishPendingRestocks) to finish.
 */

export type Tracking = { carrier: string; code: string; url?: string };

export interface StaffActionDeps {
  repository: OrderRepository;
  staff: StaffOrderRepository;
  orders: Pick<OrdersService, 'restock' | 'returnDiscount' | 'pay'>;
  payments: PaymentProviders;
  mailer: Pick<OrderMailer, 'sendShipped'>;
  clock: () => Date;
  log: { warn(obj: object, msg: string): void };
}

/** The outcome of an action: the order after it, or why nothing happened. */
export type ActionResult = { ok: true; order: PlacedOrder } | { ok: false; reason: 'state' | 'payment' };

const paymentOrder = (order: PlacedOrder): PaymentOrder => ({ orderId: order._id.toHexString(), number: order.number, total: order.total });

/** Whether fulfilling needs a tracking number: not for pick-up, nor for orders of digital goods only. */
export function needsTracking(order: Pick<OrderDoc, 'shipping' | 'lines'>): boolean {
  return !order.shipping.pickup && order.lines.some((l) => l.digital === null);
}

export function createStaffOrderActions(deps: StaffActionDeps) {
  const { repository, staff, clock, log } = deps;
  const event = (type: OrderEvent['type'], by: string, text: string, extra: Partial<OrderEvent> = {}): OrderEvent => ({ type, at: clock(), by, text, ...extra });

  async function move(order: PlacedOrder, from: readonly OrderStatus[], to: OrderStatus, by: string, set: Record<string, unknown> = {}): Promise<PlacedOrder | null> {
    const allowed = from.filter((s) => allowedFrom(to).includes(s));
    if (allowed.length === 0) return null;
    const after = await repository.transition(order._id, allowed, to, by, clock(), set);
    return after && isPlaced(after) ? after : null;
  }

  /** Mail failures never undo the action: they are logged, and the timeline shows no "sent" entry. */
  async function mailed(order: PlacedOrder, template: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
      await staff.pushEvent(order._id, event('email', 'system', template));
    } catch (error) {
      log.warn({ err: error, order: order.number, template }, 'order email failed');
    }
  }

  async function refundPayment(order: PlacedOrder, by: string): Promise<void> {
    const provider = deps.payments.get(order.payment.method);
    let status: PaymentStatus = 'refunded';
    try {
      status = provider ? (await provider.refund(paymentOrder(order), order.total)).status : 'refunded';
    } catch (error) {
      status = 'failed';
      log.warn({ err: error, order: order.number }, 'refund at the payment provider failed; refund by hand');
    }
    await staff.setPaymentStatus(order._id, status);
    await staff.pushEvent(order._id, event('payment', by, status === 'refunded' ? 'refunded' : 'refund_failed'));
  }

  async function putBack(order: PlacedOrder, by: string): Promise<void> {
    await deps.orders.restock(order);
    await staff.pushEvent(order._id, event('stock', by, 'restocked'));
  }

  return {
    needsTracking,

    /** pending_payment → paid through the orders service (claim first, capture by the winner, undo on failure). */
    async markPaid(order: PlacedOrder, by: string): Promise<ActionResult> {
      const outcome = await deps.orders.pay(order._id, by);
      if (!outcome.ok) {
        if (outcome.reason === 'payment') await staff.pushEvent(order._id, event('payment', 'system', 'capture_failed'));
        return outcome;
      }
      const paid = outcome.order;
      await staff.pushEvent(paid._id, event('payment', by, paid.payment.status));
      if (outcome.mailed) await staff.pushEvent(paid._id, event('email', 'system', 'order-paid'));
      return { ok: true, order: paid };
    },

    /** paid → fulfilled with the tracking number; the customer gets the "shipped" email in their language. */
    async fulfil(order: PlacedOrder, tracking: Tracking | null, by: string): Promise<ActionResult> {
      const done = await move(order, ['paid'], 'fulfilled', by, { fulfilledAt: clock(), ...(tracking ? { tracking } : {}) });
      if (!done) return { ok: false, reason: 'state' };
      if (tracking) await staff.pushEvent(done._id, event('tracking', by, `${tracking.carrier} ${tracking.code}`, { tracking }));
      await mailed(done, 'order-shipped', () => deps.mailer.sendShipped(done));
      return { ok: true, order: done };
    },

    async complete(order: PlacedOrder, by: string): Promise<ActionResult> {
      const done = await move(order, ['fulfilled'], 'completed', by, { completedAt: clock() });
      return done ? { ok: true, order: done } : { ok: false, reason: 'state' };
    },

    /**
     * Cancel from pending_payment (nothing to refund) or paid (money back through the provider);
     * either way the stock comes back, once.
     */
    async cancel(order: PlacedOrder, by: string): Promise<ActionResult> {
      const set = { ...CANCEL_DUE, cancelledAt: clock() };
      const unpaid = await move(order, ['pending_payment'], 'cancelled', by, set);
      const done = unpaid ?? (await move(order, ['paid'], 'cancelled', by, set));
      if (!done) return { ok: false, reason: 'state' };
      if (!unpaid) await refundPayment(done, by);
      await putBack(done, by);
      await deps.orders.returnDiscount(done);
      return { ok: true, order: done };
    },

    /**
     * Refund from paid (never shipped: the stock comes back) or fulfilled (the goods come back only
     * when staff say they were returned: `returned`). Either way the discount-code use comes back.
     */
    async refund(order: PlacedOrder, returned: boolean, by: string): Promise<ActionResult> {
      const now = clock();
      const fromPaid = await move(order, ['paid'], 'refunded', by, { ...CANCEL_DUE, refundedAt: now });
      const done = fromPaid ?? (await move(order, ['fulfilled'], 'refunded', by, { refundedAt: now, discountReturn: 'due', ...(returned ? { restock: 'due' } : {}) }));
      if (!done) return { ok: false, reason: 'state' };
      await refundPayment(done, by);
      if (done.restock === 'due') await putBack(done, by);
      await deps.orders.returnDiscount(done);
      return { ok: true, order: done };
    },

    /** Marks an order as entered by staff (manual order for an offline sale). */
    async recordManual(order: PlacedOrder, by: string): Promise<void> {
      await staff.pushEvent(order._id, event('manual', by, 'manual'));
    },

    /** An internal note: staff only, never shown to the customer. */
    async addNote(order: PlacedOrder, text: string, by: string): Promise<void> {
      await staff.pushEvent(order._id, event('note', by, text));
    },
  };
}

export type StaffOrderActions = ReturnType<typeof createStaffOrderActions>;
