import type { Db, Filter, ObjectId, UpdateFilter } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { OrderDoc, OrderStatus, PlacementFailure } from './types.js';

export const ORDERS_COLLECTION = 'orders';
export const ORDER_COUNTERS_COLLECTION = 'order_counters';
/** Order numbers start here so the first order is not "#1". */
export const ORDER_NUMBER_BASE = 1000;

export const orderIndexes: readonly IndexDeclaration[] = [
  // Idempotent placement: one order per checkout token, whatever the number of submits.
  { collection: ORDERS_COLLECTION, key: { checkoutToken: 1 }, options: { name: 'checkoutToken_unique', unique: true } },
  { collection: ORDERS_COLLECTION, key: { number: 1 }, options: { name: 'number_unique', unique: true, partialFilterExpression: { number: { $type: 'number' } } } },
  { collection: ORDERS_COLLECTION, key: { userId: 1, createdAt: -1 } },
  { collection: ORDERS_COLLECTION, key: { status: 1, createdAt: 1 } },
];

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

export function createOrderRepository(db: Db) {
  const orders = db.collection<OrderDoc>(ORDERS_COLLECTION);
  const counters = db.collection<{ _id: string; seq: number }>(ORDER_COUNTERS_COLLECTION);

  return {
    /** 'duplicate' when another request already claimed this checkout token. */
    async insertIntent(doc: OrderDoc): Promise<'ok' | 'duplicate'> {
      try {
        await orders.insertOne(doc);
        return 'ok';
      } catch (error) {
        if (isDuplicateKey(error)) return 'duplicate';
        throw error;
      }
    },
    async nextNumber(): Promise<number> {
      const r = await counters.findOneAndUpdate({ _id: 'order' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
      return ORDER_NUMBER_BASE + (r?.seq ?? 1);
    },
    async setNumber(id: ObjectId, number: number, now: Date): Promise<void> {
      await orders.updateOne({ _id: id, status: 'placing' }, { $set: { number, updatedAt: now } });
    },
    findById: (id: ObjectId) => orders.findOne({ _id: id }),
    findByToken: (token: string) => orders.findOne({ checkoutToken: token }),
    findByNumber: (number: number) => orders.findOne({ number }),

    /** placing → pending_payment, only if still placing (a reconciliation may have given up on it). */
    async completePlacement(id: ObjectId, set: Partial<OrderDoc>, now: Date): Promise<boolean> {
      const r = await orders.updateOne(
        { _id: id, status: 'placing' },
        { $set: { ...set, status: 'pending_payment', placedAt: now, updatedAt: now }, $push: { history: { status: 'pending_payment', at: now, by: 'customer' } } },
      );
      return r.modifiedCount === 1;
    },
    async failPlacement(id: ObjectId, failure: PlacementFailure, now: Date, by: string): Promise<boolean> {
      const r = await orders.updateOne(
        { _id: id, status: 'placing' },
        { $set: { status: 'failed', 'placement.failure': failure, updatedAt: now }, $push: { history: { status: 'failed', at: now, by, note: failure.reason } } },
      );
      return r.modifiedCount === 1;
    },

    /** A guarded status change: applied only when the order is in one of `from` (and matches `extra`). */
    async transition(
      id: ObjectId,
      from: readonly OrderStatus[],
      to: OrderStatus,
      by: string,
      now: Date,
      set: Record<string, unknown> = {},
      extra: Filter<OrderDoc> = {},
      unset: readonly string[] = [],
    ): Promise<OrderDoc | null> {
      const update: UpdateFilter<OrderDoc> = {
        $set: { ...set, status: to, updatedAt: now },
        $push: { history: { status: to, at: now, by } },
        ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : {}),
      };
      return orders.findOneAndUpdate({ _id: id, status: { $in: [...from] }, ...extra }, update, { returnDocument: 'after' });
    },
    async markRestocked(id: ObjectId): Promise<void> {
      await orders.updateOne({ _id: id, restock: 'due' }, { $set: { restock: 'done' } });
    },
    async markDiscountReturned(id: ObjectId): Promise<boolean> {
      const r = await orders.updateOne({ _id: id, discountReturn: 'due' }, { $set: { discountReturn: 'done' } });
      return r.modifiedCount === 1;
    },
    async markConfirmationSent(id: ObjectId, now: Date): Promise<boolean> {
      const r = await orders.updateOne({ _id: id, confirmationSentAt: { $exists: false } }, { $set: { confirmationSentAt: now } });
      return r.modifiedCount === 1;
    },
    /** Counts one download of line `index` if fewer than `max` happened (atomic). */
    async countDownload(id: ObjectId, index: number, max: number): Promise<boolean> {
      const path = `lines.${index}.digital.downloads`;
      const r = await orders.updateOne({ _id: id, status: { $in: ['paid', 'fulfilled', 'completed'] }, [path]: { $lt: max } }, { $inc: { [path]: 1 } });
      return r.modifiedCount === 1;
    },
    async setPayment(id: ObjectId, payment: OrderDoc['payment']): Promise<void> {
      await orders.updateOne({ _id: id }, { $set: { payment } });
    },

    /** Personal data replaced (email, name, street, phone); country, lines and totals stay for the books. */
    async anonymiseUser(userId: ObjectId, now: Date): Promise<number> {
      const r = await orders.updateMany(
        { userId },
        { $set: { email: `deleted-${userId.toHexString()}@invalid`, 'address.fullName': '-', 'address.line1': '-', 'address.line2': '', 'address.phone': '', 'address.postalCode': '', 'address.region': '', anonymisedAt: now, updatedAt: now } },
      );
      return r.modifiedCount;
    },
    listForUser(userId: ObjectId, limit: number): Promise<OrderDoc[]> {
      return orders.find({ userId, status: { $nin: ['placing', 'failed'] } }).sort({ createdAt: -1 }).limit(limit).toArray();
    },
    /** Placements whose owner gave up or died (lease over). */
    stalePlacements(now: Date): Promise<OrderDoc[]> {
      return orders.find({ status: 'placing', 'placement.leaseUntil': { $lt: now } }).toArray();
    },
    restockDue(): Promise<OrderDoc[]> {
      return orders.find({ restock: 'due' }).toArray();
    },
    /** Returns still due on orders left alone since `before` (a live canceller finishes its own). */
    discountReturnDue(before: Date): Promise<OrderDoc[]> {
      return orders.find({ discountReturn: 'due', updatedAt: { $lt: before } }).limit(500).toArray();
    },
    unsentConfirmations(before: Date): Promise<OrderDoc[]> {
      return orders.find({ status: { $nin: ['placing', 'failed'] }, confirmationSentAt: { $exists: false }, placedAt: { $lt: before } }).limit(100).toArray();
    },
    unpaidBefore(cutoff: Date, methods: readonly string[]): Promise<OrderDoc[]> {
      return orders.find({ status: 'pending_payment', 'payment.method': { $in: [...methods] }, placedAt: { $lt: cutoff } }).limit(500).toArray();
    },
    async statusesOf(ids: readonly ObjectId[]): Promise<Map<string, OrderDoc['status']>> {
      const docs = await orders.find({ _id: { $in: [...ids] } }, { projection: { status: 1, restock: 1 } }).toArray();
      return new Map(docs.map((d) => [d._id.toHexString(), d.status]));
    },
    findMany: (ids: readonly ObjectId[]) => orders.find({ _id: { $in: [...ids] } }).toArray(),
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;
