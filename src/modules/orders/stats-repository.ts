import type { Db, Document } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { Translated } from '../catalog/types.js';
import { ORDERS_COLLECTION } from './repository.js';
import type { OrderDoc, OrderStatus } from './types.js';

/**
 * Aggregations over orders for the back-office dashboard. Sales = orders placed in the range that
 * were not cancelled or refunded (an unpaid order counts until it is cancelled), in the shop currency.
 */
export const SALES_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'fulfilled', 'completed'];
/** Orders a person must act on: confirm the payment, or ship. */
export const AWAITING_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid'];

export const orderStatsIndexes: readonly IndexDeclaration[] = [
  { collection: ORDERS_COLLECTION, key: { placedAt: 1, status: 1 }, options: { name: 'placedAt_status' } },
];

export interface SalesRange {
  start: Date;
  /** Exclusive. */
  end: Date;
  currency: string;
  timeZone: string;
}

export interface DaySales {
  day: string;
  orders: number;
  revenue: number;
}

export interface TopProduct {
  productId: string;
  title: Translated;
  qty: number;
  revenue: number;
}

export interface Totals {
  orders: number;
  revenue: number;
}

export interface AwaitingOrder {
  number: number;
  status: OrderStatus;
  email: string;
  placedAt: Date;
  total: OrderDoc['total'];
}

function salesMatch(range: Omit<SalesRange, 'timeZone'>): Document {
  return { $match: { placedAt: { $gte: range.start, $lt: range.end }, status: { $in: [...SALES_STATUSES] }, currency: range.currency } };
}

export function createOrderStatsRepository(db: Db) {
  const orders = db.collection<OrderDoc>(ORDERS_COLLECTION);
  return {
    /** Per local day, totals and top products of one range: one pipeline with $facet. */
    async sales(range: SalesRange, topLimit: number): Promise<{ days: DaySales[]; totals: Totals; top: TopProduct[] }> {
      const [result] = await orders
        .aggregate<{ days: { _id: string; orders: number; revenue: number }[]; totals: Totals[]; top: (Omit<TopProduct, 'productId'> & { _id: unknown })[] }>([
          salesMatch(range),
          {
            $facet: {
              days: [
                { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$placedAt', timezone: range.timeZone } }, orders: { $sum: 1 }, revenue: { $sum: '$total.amount' } } },
                { $sort: { _id: 1 } },
              ],
              totals: [{ $group: { _id: null, orders: { $sum: 1 }, revenue: { $sum: '$total.amount' } } }, { $project: { _id: 0, orders: 1, revenue: 1 } }],
              top: [
                { $unwind: '$lines' },
                { $group: { _id: '$lines.productId', title: { $last: '$lines.title' }, qty: { $sum: '$lines.qty' }, revenue: { $sum: '$lines.lineTotal.amount' } } },
                { $sort: { revenue: -1, qty: -1, _id: 1 } },
                { $limit: topLimit },
              ],
            },
          },
        ])
        .toArray();
      return {
        days: (result?.days ?? []).map((d) => ({ day: d._id, orders: d.orders, revenue: d.revenue })),
        totals: result?.totals[0] ?? { orders: 0, revenue: 0 },
        top: (result?.top ?? []).map((t) => ({ productId: String(t._id), title: t.title, qty: t.qty, revenue: t.revenue })),
      };
    },

    async totals(range: Omit<SalesRange, 'timeZone'>): Promise<Totals> {
      const [row] = await orders
        .aggregate<Totals>([salesMatch(range), { $group: { _id: null, orders: { $sum: 1 }, revenue: { $sum: '$total.amount' } } }, { $project: { _id: 0, orders: 1, revenue: 1 } }])
        .toArray();
      return row ?? { orders: 0, revenue: 0 };
    },

    /** How many orders wait in each status, and the oldest of them. */
    async awaiting(limit: number): Promise<{ counts: Record<string, number>; oldest: AwaitingOrder[] }> {
      const [result] = await orders
        .aggregate<{ counts: { _id: string; n: number }[]; oldest: AwaitingOrder[] }>([
          { $match: { status: { $in: [...AWAITING_STATUSES] } } },
          {
            $facet: {
              counts: [{ $group: { _id: '$status', n: { $sum: 1 } } }],
              oldest: [{ $sort: { placedAt: 1, _id: 1 } }, { $limit: limit }, { $project: { _id: 0, number: 1, status: 1, email: 1, placedAt: 1, total: 1 } }],
            },
          },
        ])
        .toArray();
      const counts: Record<string, number> = Object.fromEntries(AWAITING_STATUSES.map((s) => [s, 0]));
      for (const c of result?.counts ?? []) counts[c._id] = c.n;
      return { counts, oldest: result?.oldest ?? [] };
    },
  };
}

export type OrderStatsRepository = ReturnType<typeof createOrderStatsRepository>;
