import type { ObjectId } from 'mongodb';
import type { StockStore } from '../catalog/stock.js';
import type { CheckoutSettingsRepository } from '../checkout/settings.js';
import type { PaymentProviders } from '../payments/providers.js';
import type { PaymentStatus } from '../payments/types.js';
import type { OrderRepository } from './repository.js';
import { isPlaced, restockKey, type OrderDoc, type OrderStatus, type PlacedOrder } from './types.js';

export type CancelActor = 'customer' | 'staff' | 'auto';

/** Set by the status change that cancels an order: its stock and its discount use are to come back. */
export const CANCEL_DUE = { restock: 'due', discountReturn: 'due' } as const;

/** What `pay` did: `mailed` says whether the "payment received" email went out. */
export type PayOutcome = { ok: true; order: PlacedOrder; mailed: boolean } | { ok: false; reason: 'state' | 'payment' };

/** The discount-code counters (the checkout's discounts repository): what a cancelled order gives back. */
export interface DiscountUses {
  giveBack(discountId: ObjectId, holder: string): Promise<boolean>;
  giveBackForCustomer(discountId: ObjectId, customer: string, holder: string): Promise<boolean>;
  forgetReturn(discountId: ObjectId, customer: string, holder: string): Promise<void>;
}

export interface OrdersServiceDeps {
  repository: OrderRepository;
  discounts: DiscountUses;
  stock: StockStore;
  settings: CheckoutSettingsRepository;
  payments: PaymentProviders;
  /** Sends the confirmation email of a placed order. */
  sendConfirmation: (order: PlacedOrder) => Promise<void>;
  /** Sends the "payment received" email (download links included); failures are logged only. */
  sendPaymentReceived?: (order: PlacedOrder, downloadHours: number, now: Date) => Promise<void>;
  clock: () => Date;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export function createOrdersService(deps: OrdersServiceDeps) {
  const { repository, stock, clock, log } = deps;

  /** Puts a cancelled order's units back: each line once (ledger key), then marks it done. */
  async function finishRestock(order: OrderDoc): Promise<void> {
    for (const line of order.lines) {
      await stock.restock({ key: restockKey(order._id, line.variantId), productId: line.productId, variantId: line.variantId, qty: line.qty });
    }
    await repository.markRestocked(order._id);
    await stock.forget(order.lines.map((l) => restockKey(order._id, l.variantId)), order.lines.map((l) => l.productId));
  }

  /**
   * Gives a cancelled or refunded order's discount-code use back, total and per customer, exactly
   * once: each count is guarded by the order's entry in the counter's `returned` list (same update),
   * the order's flag then says it is done and the entries go. A crash half-way leaves 'due' for
   * finishPendingDiscountReturns, whose repeat of the counts changes nothing.
   */
  async function finishDiscountReturn(order: OrderDoc): Promise<void> {
    const discount = order.discount;
    const holder = order._id.toHexString();
    if (discount) {
      await deps.discounts.giveBack(discount.id, holder);
      if (discount.perCustomer) await deps.discounts.giveBackForCustomer(discount.id, discount.customerKey, holder);
    }
    if ((await repository.markDiscountReturned(order._id)) && discount) await deps.discounts.forgetReturn(discount.id, discount.customerKey, holder);
  }

  async function placed(id: ObjectId): Promise<PlacedOrder | null> {
    const order = await repository.findById(id);
    return order && isPlaced(order) ? order : null;
  }

  const service = {
    get: placed,
    async byNumber(number: number): Promise<PlacedOrder | null> {
      const order = await repository.findByNumber(number);
      return order && isPlaced(order) ? order : null;
    },
    async byToken(token: string): Promise<PlacedOrder | null> {
      const order = await repository.findByToken(token);
      return order && isPlaced(order) ? order : null;
    },
    async forUser(userId: ObjectId, limit = 50): Promise<PlacedOrder[]> {
      return (await repository.listForUser(userId, limit)).filter(isPlaced);
    },

    /** Sends the confirmation once (the flag is set only after the mail went out). */
    async confirm(order: PlacedOrder): Promise<void> {
      if (order.confirmationSentAt) return;
      await deps.sendConfirmation(order);
      await repository.markConfirmationSent(order._id, clock());
    },

    /** When the customer may still cancel (unpaid, inside the window), else null. */
    async customerCancelUntil(order: PlacedOrder): Promise<Date | null> {
      if (order.status !== 'pending_payment' || !order.placedAt) return null;
      const { customerCancelHours } = await deps.settings.get();
      const until = new Date(order.placedAt.getTime() + customerCancelHours * 3600_000);
      return until > clock() ? until : null;
    },

    /**
     * Cancels an unpaid order. The status change is the guard (only one caller can move it out of
     * pending_payment), so the stock comes back exactly once however many clicks or jobs race.
     */
    async cancel(id: ObjectId, by: CancelActor): Promise<PlacedOrder | null> {
      const now = clock();
      let extra = {};
      if (by === 'customer') {
        const { customerCancelHours } = await deps.settings.get();
        extra = { placedAt: { $gt: new Date(now.getTime() - customerCancelHours * 3600_000) } };
      }
      const order = await repository.transition(id, ['pending_payment'], 'cancelled', by, now, { ...CANCEL_DUE, cancelledAt: now }, extra);
      if (!order || !isPlaced(order)) return null;
      await finishRestock(order);
      await finishDiscountReturn(order);
      log.info({ order: order.number, by }, 'order cancelled, stock restored');
      return order;
    },

    /**
     * pending_payment → paid. The status change comes first and is the claim (one conditional
     * update): of two submits only the winner reaches the provider, so a real gateway is never
     * charged twice. A failed capture puts the order back to pending_payment. The staff actions
     * (staff-actions.ts) go through here too and add their timeline entries from the outcome.
     */
    async pay(id: ObjectId, by: string): Promise<PayOutcome> {
      const now = clock();
      const claimed = await repository.transition(id, ['pending_payment'], 'paid', by, now, { paidAt: now });
      if (!claimed || !isPlaced(claimed)) return { ok: false, reason: 'state' };
      const provider = deps.payments.get(claimed.payment.method);
      let status: PaymentStatus = 'captured';
      try {
        if (provider) status = (await provider.capture({ orderId: id.toHexString(), number: claimed.number, total: claimed.total })).status;
      } catch (error) {
        log.warn({ err: error, order: claimed.number }, 'capture failed');
        status = 'failed';
      }
      if (status === 'failed') {
        // Compensation: the money did not come; the order waits for payment again.
        await repository.transition(id, ['paid'], 'pending_payment', 'system', clock(), { 'payment.status': 'failed' }, {}, ['paidAt']);
        return { ok: false, reason: 'payment' };
      }
      const order: PlacedOrder = { ...claimed, payment: { ...claimed.payment, status } };
      await repository.setPayment(id, order.payment);
      let mailed = false;
      try {
        await deps.sendPaymentReceived?.(order, (await deps.settings.get()).downloadHours, now);
        mailed = deps.sendPaymentReceived !== undefined;
      } catch (error) {
        // The payment is recorded whatever happens to the email; the order page has the links too.
        log.warn({ err: error, order: order.number }, 'payment received email failed');
      }
      return { ok: true, order, mailed };
    },

    async markPaid(id: ObjectId, by: string): Promise<PlacedOrder | null> {
      const outcome = await service.pay(id, by);
      return outcome.ok ? outcome.order : null;
    },

    async fulfil(id: ObjectId, tracking: { carrier: string; code: string; url?: string }, by: string): Promise<PlacedOrder | null> {
      const order = await repository.transition(id, ['paid'], 'fulfilled', by, clock(), { tracking });
      return order && isPlaced(order) ? order : null;
    },

    async setStatus(id: ObjectId, from: OrderStatus[], to: OrderStatus, by: string): Promise<PlacedOrder | null> {
      const order = await repository.transition(id, from, to, by, clock());
      return order && isPlaced(order) ? order : null;
    },

    /** Unpaid orders of providers that wait for money (bank transfer) older than the setting. */
    async autoCancelUnpaid(): Promise<number> {
      const { autoCancelDays } = await deps.settings.get();
      const methods = [...deps.payments.values()].filter((p) => p.autoCancelUnpaid).map((p) => p.id);
      const cutoff = new Date(clock().getTime() - autoCancelDays * 24 * 3600_000);
      let cancelled = 0;
      for (const order of await repository.unpaidBefore(cutoff, methods)) {
        if (await service.cancel(order._id, 'auto')) cancelled++;
      }
      if (cancelled > 0) log.info({ cancelled, autoCancelDays }, 'unpaid bank-transfer orders cancelled');
      return cancelled;
    },

    /** Cancelled orders whose stock return was interrupted: finish it (idempotent). */
    async finishPendingRestocks(): Promise<number> {
      const due = await repository.restockDue();
      for (const order of due) await finishRestock(order);
      if (due.length > 0) log.warn({ orders: due.map((o) => o.number) }, 'reconciliation: finished interrupted stock returns');
      return due.length;
    },

    /** Discount uses whose return was cut short (left alone for a lease at least): give them back (idempotent). */
    async finishPendingDiscountReturns(before: Date): Promise<number> {
      const due = await repository.discountReturnDue(before);
      for (const order of due) await finishDiscountReturn(order);
      if (due.length > 0) log.warn({ orders: due.map((o) => o.number) }, 'reconciliation: finished interrupted discount returns');
      return due.length;
    },

    /** Confirmations that were never sent (mail down, crash after placing): send them now. */
    async resendMissingConfirmations(olderThan: Date): Promise<number> {
      let sent = 0;
      for (const order of await repository.unsentConfirmations(olderThan)) {
        if (!isPlaced(order)) continue;
        try {
          await service.confirm(order);
          sent++;
        } catch (error) {
          log.warn({ err: error, order: order.number }, 'confirmation email still failing');
        }
      }
      return sent;
    },

    countDownload: (id: ObjectId, index: number, max: number) => repository.countDownload(id, index, max),

    /** Puts the units of an order marked `restock: 'due'` back (staff cancel/refund; the caller won the status change). */
    restock: finishRestock,
    /** Gives the discount use of an order marked `discountReturn: 'due'` back (staff cancel/refund; the caller won the status change). */
    returnDiscount: finishDiscountReturn,

    /** An account being deleted: its orders stay for accounting, without the personal data. */
    anonymiseCustomer: (userId: ObjectId) => repository.anonymiseUser(userId, clock()),
  };
  return service;
}

export type OrdersService = ReturnType<typeof createOrdersService>;
