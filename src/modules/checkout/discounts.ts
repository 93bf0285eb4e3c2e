import { ObjectId, type Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';

/**
 * Discount codes and their usage counters. Usage is counted with conditional `$inc` updates
 * (`uses < limit` in the filter), and every count is paired with a hold (the order id) in the same
 * atomic update, so undoing a count for a failed placement happens exactly once and a crash leaves
 * a hold that the reconciliation can settle.
 */

export type DiscountKind = 'percentage' | 'fixed';

export interface DiscountDoc {
  _id: ObjectId;
  /** Upper case, unique. */
  code: string;
  kind: DiscountKind;
  /** percentage: basis points (1000 = 10 %); fixed: minor units. */
  value: number;
  /** Minimum goods subtotal in minor units (0: none). */
  minOrder: number;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  uses: number;
  /** Orders whose use is counted but not yet settled. */
  holds: string[];
  /** Cancelled or refunded orders whose use was given back and that have not yet recorded it (absent on older codes). */
  returned?: string[];
  active: boolean;
  createdAt: Date;
  /** Back-office edits: optimistic-concurrency version (absent on codes seeded before it existed). */
  version?: number;
}

/** What staff edit on a code (the counters and holds are the checkout's). */
export type DiscountEdit = Pick<DiscountDoc, 'code' | 'kind' | 'value' | 'minOrder' | 'startsAt' | 'endsAt' | 'usageLimit' | 'perCustomerLimit' | 'active'>;

interface CustomerUseDoc {
  /** `<discountId>:<customer key>` */
  _id: string;
  uses: number;
  holds: string[];
  returned?: string[];
}

export const DISCOUNTS_COLLECTION = 'discounts';
export const DISCOUNT_USES_COLLECTION = 'discount_customer_uses';

export const discountIndexes: readonly IndexDeclaration[] = [
  { collection: DISCOUNTS_COLLECTION, key: { code: 1 }, options: { name: 'code_unique', unique: true } },
];

export type NewDiscount = Omit<DiscountDoc, '_id' | 'uses' | 'holds' | 'createdAt'>;

export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

export function createDiscountRepository(db: Db) {
  const discounts = db.collection<DiscountDoc>(DISCOUNTS_COLLECTION);
  const customerUses = db.collection<CustomerUseDoc>(DISCOUNT_USES_COLLECTION);
  const customerKey = (discountId: ObjectId, customer: string): string => `${discountId.toHexString()}:${customer}`;

  return {
    async insert(input: NewDiscount, now: Date): Promise<DiscountDoc> {
      const doc: DiscountDoc = { ...input, code: normalizeCode(input.code), _id: new ObjectId(), uses: 0, holds: [], createdAt: now };
      await discounts.insertOne(doc);
      return doc;
    },
    /** Seeding: inserts unless the code exists. */
    async insertIfMissing(input: NewDiscount, now: Date): Promise<boolean> {
      const code = normalizeCode(input.code);
      const r = await discounts.updateOne({ code }, { $setOnInsert: { ...input, code, _id: new ObjectId(), uses: 0, holds: [], createdAt: now } }, { upsert: true });
      return r.upsertedCount === 1;
    },
    findByCode(code: string): Promise<DiscountDoc | null> {
      return discounts.findOne({ code: normalizeCode(code) });
    },
    findById(id: ObjectId): Promise<DiscountDoc | null> {
      return discounts.findOne({ _id: id });
    },
    /** The back-office list, newest first (holds left out: they can be long). */
    list(limit = 500): Promise<Omit<DiscountDoc, 'holds'>[]> {
      return discounts.find({}, { projection: { holds: 0, returned: 0 } }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    },
    /**
     * A staff edit, only over the version the form read (a missing version counts as 1). Never
     * touches `uses` or `holds`. False when the code was edited meanwhile; a taken code throws 11000.
     */
    async update(id: ObjectId, expectedVersion: number, edit: DiscountEdit): Promise<boolean> {
      const filter = expectedVersion === 1 ? { _id: id, $or: [{ version: 1 }, { version: { $exists: false } }] } : { _id: id, version: expectedVersion };
      const r = await discounts.updateOne(filter, { $set: { ...edit, code: normalizeCode(edit.code), version: expectedVersion + 1 } });
      return r.modifiedCount === 1;
    },
    /**
     * A staff delete, over the version the form read, and never while a use is held by an order
     * being placed (it would settle or give back against nothing). Placed orders keep their own copy
     * of the code and amount. False: edited meanwhile, in use right now, or already gone.
     */
    async remove(id: ObjectId, expectedVersion: number): Promise<boolean> {
      const version = expectedVersion === 1 ? { $or: [{ version: 1 }, { version: { $exists: false } }] } : { version: expectedVersion };
      const r = await discounts.deleteOne({ _id: id, 'holds.0': { $exists: false }, ...version });
      return r.deletedCount === 1;
    },
    async customerUses(discountId: ObjectId, customer: string): Promise<number> {
      return (await customerUses.findOne({ _id: customerKey(discountId, customer) }))?.uses ?? 0;
    },

    /** Counts one use for `holder` if the total limit allows it. */
    async claim(discount: DiscountDoc, holder: string): Promise<boolean> {
      const filter = discount.usageLimit === null ? {} : { uses: { $lt: discount.usageLimit } };
      const r = await discounts.updateOne({ _id: discount._id, holds: { $ne: holder }, ...filter }, { $inc: { uses: 1 }, $push: { holds: holder } });
      return r.modifiedCount === 1;
    },
    /** Undoes claim(), exactly once (only while the hold is there). */
    async unclaim(discountId: ObjectId, holder: string): Promise<boolean> {
      const r = await discounts.updateOne({ _id: discountId, holds: holder }, { $inc: { uses: -1 }, $pull: { holds: holder } });
      return r.modifiedCount === 1;
    },
    /** The order is placed: the use stays counted, the hold goes. */
    async settle(discountId: ObjectId, holder: string): Promise<void> {
      await discounts.updateOne({ _id: discountId }, { $pull: { holds: holder } });
    },

    /** Per-customer count; the upsert creates the counter on first use (a race ends in a duplicate key = no). */
    async claimForCustomer(discountId: ObjectId, customer: string, limit: number, holder: string): Promise<boolean> {
      try {
        const r = await customerUses.updateOne(
          { _id: customerKey(discountId, customer), uses: { $lt: limit }, holds: { $ne: holder } },
          { $inc: { uses: 1 }, $push: { holds: holder } },
          { upsert: true },
        );
        return r.modifiedCount === 1 || r.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async unclaimForCustomer(discountId: ObjectId, customer: string, holder: string): Promise<boolean> {
      const r = await customerUses.updateOne({ _id: customerKey(discountId, customer), holds: holder }, { $inc: { uses: -1 }, $pull: { holds: holder } });
      return r.modifiedCount === 1;
    },
    async settleForCustomer(discountId: ObjectId, customer: string, holder: string): Promise<void> {
      await customerUses.updateOne({ _id: customerKey(discountId, customer) }, { $pull: { holds: holder } });
    },

    /**
     * A cancelled or refunded order gives its use back: one conditional update that uncounts it and
     * writes the order in `returned`, so a repeat (a retry, the reconciliation) changes nothing.
     * Never below zero. `forgetReturn` drops the entry once the order has recorded the return.
     */
    async giveBack(discountId: ObjectId, holder: string): Promise<boolean> {
      const r = await discounts.updateOne({ _id: discountId, returned: { $ne: holder }, uses: { $gt: 0 } }, { $inc: { uses: -1 }, $push: { returned: holder } });
      return r.modifiedCount === 1;
    },
    async giveBackForCustomer(discountId: ObjectId, customer: string, holder: string): Promise<boolean> {
      const r = await customerUses.updateOne({ _id: customerKey(discountId, customer), returned: { $ne: holder }, uses: { $gt: 0 } }, { $inc: { uses: -1 }, $push: { returned: holder } });
      return r.modifiedCount === 1;
    },
    async forgetReturn(discountId: ObjectId, customer: string, holder: string): Promise<void> {
      await discounts.updateOne({ _id: discountId }, { $pull: { returned: holder } });
      await customerUses.updateOne({ _id: customerKey(discountId, customer) }, { $pull: { returned: holder } });
    },

    /** Discounts with unsettled holds (reconciliation). */
    withHolds(): Promise<DiscountDoc[]> {
      return discounts.find({ 'holds.0': { $exists: true } }).toArray();
    },
  };
}

export type DiscountRepository = ReturnType<typeof createDiscountRepository>;

export type DiscountRejection = 'unknown' | 'inactive' | 'not_started' | 'expired' | 'min_order' | 'used_up' | 'customer_used_up';

/** The checks a code must pass before it is applied (the limits are counted again, atomically, at placement). */
export function checkDiscount(d: DiscountDoc | null, subtotal: number, now: Date, customerUses: number): DiscountRejection | undefined {
  if (!d) return 'unknown';
  if (!d.active) return 'inactive';
  if (d.startsAt && now < d.startsAt) return 'not_started';
  if (d.endsAt && now >= d.endsAt) return 'expired';
  if (subtotal < d.minOrder) return 'min_order';
  if (d.usageLimit !== null && d.uses >= d.usageLimit) return 'used_up';
  if (d.perCustomerLimit !== null && customerUses >= d.perCustomerLimit) return 'customer_used_up';
  return undefined;
}
