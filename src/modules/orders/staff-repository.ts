import type { Db, Filter, ObjectId, Sort } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { ORDERS_COLLECTION } from './repository.js';
import type { OrderDoc, OrderEvent, OrderStatus } from './types.js';

/** The back office's reads of the orders collection (list, search, CSV) and its timeline writes. */

export const ORDER_SORTS = ['placedAt', 'number', 'total', 'email', 'status'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

const SORT_FIELDS: Readonly<Record<OrderSort, string>> = {
  placedAt: 'placedAt',
  number: 'number',
  total: 'total.amount',
  email: 'email',
  status: 'status',
};

export interface OrderListFilter {
  /** An order number, or the start of an email, or part of the customer's name. */
  q: string;
  status: OrderStatus | '';
}

export interface OrderListQuery extends OrderListFilter {
  sort: OrderSort;
  dir: 1 | -1;
  skip: number;
  limit: number;
}

export const staffOrderIndexes: readonly IndexDeclaration[] = [
  { collection: ORDERS_COLLECTION, key: { placedAt: -1 }, options: { name: 'placedAt_desc' } },
  { collection: ORDERS_COLLECTION, key: { email: 1 }, options: { name: 'email' } },
];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Only placed orders; the search text never becomes an operator (it is escaped into a regex). */
export function orderListFilter({ q, status }: OrderListFilter): Filter<OrderDoc> {
  const filter: Filter<OrderDoc> = { status: status === '' ? { $nin: ['placing', 'failed'] } : status };
  const text = q.trim().replace(/^#/, '');
  if (text !== '') {
    const or: Filter<OrderDoc>[] = [
      { email: { $regex: `^${escapeRegex(text.toLowerCase())}` } },
      { 'address.fullName': { $regex: escapeRegex(text), $options: 'i' } },
    ];
    if (/^\d{1,12}$/.test(text)) or.unshift({ number: Number(text) });
    filter.$or = or;
  }
  return filter;
}

export function createStaffOrderRepository(db: Db) {
  const orders = db.collection<OrderDoc>(ORDERS_COLLECTION);
  const sortOf = (sort: OrderSort, dir: 1 | -1): Sort => ({ [SORT_FIELDS[sort]]: dir, _id: dir });

  return {
    list(query: OrderListQuery): Promise<OrderDoc[]> {
      return orders
        .find(orderListFilter(query), { projection: { events: 0, history: 0 } })
        .sort(sortOf(query.sort, query.dir))
        .skip(query.skip)
        .limit(query.limit)
        .toArray();
    },
    count: (filter: OrderListFilter) => orders.countDocuments(orderListFilter(filter)),
    /** Every matching order, in batches (CSV export of any size without holding it in memory). */
    stream(filter: OrderListFilter, sort: OrderSort, dir: 1 | -1): AsyncIterable<OrderDoc> {
      return orders.find(orderListFilter(filter), { projection: { events: 0, history: 0 } }).sort(sortOf(sort, dir)).batchSize(500);
    },
    findByNumbers(numbers: readonly number[]): Promise<OrderDoc[]> {
      return orders.find({ number: { $in: [...numbers] } }).sort({ number: 1 }).toArray();
    },
    async pushEvent(id: ObjectId, event: OrderEvent): Promise<void> {
      await orders.updateOne({ _id: id }, { $push: { events: event }, $set: { updatedAt: event.at } });
    },
    async setPaymentStatus(id: ObjectId, status: OrderDoc['payment']['status']): Promise<void> {
      await orders.updateOne({ _id: id }, { $set: { 'payment.status': status } });
    },
  };
}

export type StaffOrderRepository = ReturnType<typeof createStaffOrderRepository>;
