import { ObjectId } from 'mongodb';
import type { StockStore } from '../catalog/stock.js';
import type { OrderRepository } from '../orders/repository.js';
import type { OrdersService } from '../orders/service.js';
import { reserveKey, type OrderDoc } from '../orders/types.js';
import type { DiscountRepository } from './discounts.js';

/**
 * Repairs what an interrupted placement or cancellation left behind (crash, SIGKILL, lost
 * connection), using the intent documents and the ledger entries written before each change:
 *  - a `placing` order whose lease is over: its reservations and discount counts are released
 *    (exactly once: only while their entry/hold exists) and it is marked failed — the customer was
 *    never told it exists;
 *  - a reservation entry of an order that was placed: forgotten (the stock stays taken);
 *  - a discount hold: settled if its order was placed, else uncounted;
 *  - a cancelled order whose stock return was cut short: finished;
 *  - a cancelled or refunded order whose discount-code use was not yet given back: given back;
 *  - a placed order whose confirmation email was never sent: sent.
 * Runs at start-up and then periodically; safe to run concurrently in several app processes.
 */

export interface ReconcileReport {
  abandonedOrders: string[];
  releasedReservations: number;
  settledReservations: number;
  releasedDiscountUses: number;
  settledDiscountUses: number;
  finishedRestocks: number;
  finishedDiscountReturns: number;
  resentConfirmations: number;
}

export interface ReconcilerDeps {
  orders: OrderRepository;
  ordersService: OrdersService;
  stock: StockStore;
  discounts: DiscountRepository;
  clock: () => Date;
  leaseMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

function orderIdOf(key: string): ObjectId | undefined {
  const hex = key.split(':')[1];
  return hex && /^[0-9a-f]{24}$/.test(hex) ? new ObjectId(hex) : undefined;
}

const placedStatuses = new Set<OrderDoc['status']>(['pending_payment', 'paid', 'fulfilled', 'completed', 'cancelled', 'refunded']);

export function createReconciler(deps: ReconcilerDeps) {
  const { orders, stock, discounts, clock, log } = deps;

  async function releaseDiscount(order: OrderDoc): Promise<number> {
    if (!order.discount) return 0;
    const holder = order._id.toHexString();
    let n = 0;
    if (await discounts.unclaim(order.discount.id, holder)) n++;
    await discounts.unclaimForCustomer(order.discount.id, order.discount.customerKey, holder);
    return n;
  }

  return async function reconcile(): Promise<ReconcileReport> {
    const now = clock();
    const report: ReconcileReport = {
      abandonedOrders: [], releasedReservations: 0, settledReservations: 0, releasedDiscountUses: 0, settledDiscountUses: 0, finishedRestocks: 0, finishedDiscountReturns: 0, resentConfirmations: 0,
    };

    for (const order of await orders.stalePlacements(now)) {
      for (const line of order.lines) {
        if (await stock.release(reserveKey(order._id, line.variantId), line.productId)) report.releasedReservations++;
      }
      report.releasedDiscountUses += await releaseDiscount(order);
      if (await orders.failPlacement(order._id, { reason: 'interrupted' }, clock(), 'reconciliation')) report.abandonedOrders.push(order._id.toHexString());
    }

    const cutoff = new Date(now.getTime() - deps.leaseMs);
    const entries = (await stock.openEntries(cutoff)).filter((e) => e.entry.key.startsWith('reserve:'));
    const ids = entries.map((e) => orderIdOf(e.entry.key)).filter((id): id is ObjectId => id !== undefined);
    const statuses = ids.length > 0 ? await orders.statusesOf(ids) : new Map<string, OrderDoc['status']>();
    for (const { productId, entry } of entries) {
      const status = statuses.get(orderIdOf(entry.key)?.toHexString() ?? '');
      if (status === 'placing') continue; // its owner still holds the lease
      if (status !== undefined && placedStatuses.has(status)) {
        await stock.forget([entry.key], [productId]);
        report.settledReservations++;
      } else if (await stock.release(entry.key, productId)) {
        report.releasedReservations++;
      }
    }

    for (const discount of await discounts.withHolds()) {
      const holders = discount.holds.filter((h) => /^[0-9a-f]{24}$/.test(h));
      for (const order of await orders.findMany(holders.map((h) => new ObjectId(h)))) {
        if (order.status === 'placing' && order.placement.leaseUntil > now) continue;
        const holder = order._id.toHexString();
        if (placedStatuses.has(order.status)) {
          await discounts.settle(discount._id, holder);
          if (order.discount) await discounts.settleForCustomer(discount._id, order.discount.customerKey, holder);
          report.settledDiscountUses++;
        } else {
          report.releasedDiscountUses += await releaseDiscount(order);
        }
      }
    }

    report.finishedRestocks = await deps.ordersService.finishPendingRestocks();
    report.finishedDiscountReturns = await deps.ordersService.finishPendingDiscountReturns(cutoff);
    report.resentConfirmations = await deps.ordersService.resendMissingConfirmations(cutoff);

    const changed = report.abandonedOrders.length + report.releasedReservations + report.settledReservations + report.releasedDiscountUses +
      report.settledDiscountUses + report.finishedRestocks + report.finishedDiscountReturns + report.resentConfirmations;
    if (changed > 0) log.warn({ reconciliation: report }, 'reconciliation repaired interrupted work');
    else log.info({ reconciliation: report }, 'reconciliation: nothing to repair');
    return report;
  };
}

export type Reconcile = ReturnType<typeof createReconciler>;
