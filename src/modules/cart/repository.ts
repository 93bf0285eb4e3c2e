import { ObjectId, type Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { CartDoc, CartLine, CartOwner, CheckoutState } from './types.js';

export const CARTS_COLLECTION = 'carts';

export const cartIndexes: readonly IndexDeclaration[] = [
  // Abandoned guest carts disappear by themselves; a user's cart has expiresAt null and stays.
  { collection: CARTS_COLLECTION, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
  {
    collection: CARTS_COLLECTION,
    key: { userId: 1 },
    options: { name: 'userId_unique', unique: true, partialFilterExpression: { userId: { $type: 'objectId' } } },
  },
];

export function createCartRepository(db: Db) {
  const carts = db.collection<CartDoc>(CARTS_COLLECTION);

  return {
    async find(owner: CartOwner): Promise<CartDoc | null> {
      if (owner.userId) return carts.findOne({ userId: owner.userId });
      if (owner.cartId) return carts.findOne({ _id: owner.cartId, userId: null });
      return null;
    },
    async findById(id: ObjectId): Promise<CartDoc | null> {
      return carts.findOne({ _id: id });
    },
    /** The user's cart, created if missing (the unique index settles a race between two tabs). */
    async ensureForUser(userId: ObjectId, now: Date): Promise<CartDoc> {
      const doc = await carts.findOneAndUpdate(
        { userId },
        { $setOnInsert: { _id: new ObjectId(), lines: [], checkout: {}, expiresAt: null, createdAt: now, updatedAt: now } },
        { upsert: true, returnDocument: 'after' },
      ).catch(async (error: unknown) => {
        if ((error as { code?: unknown }).code === 11000) return carts.findOne({ userId });
        throw error;
      });
      if (!doc) throw new Error('cart upsert returned nothing');
      return doc;
    },
    async insertGuest(now: Date, expiresAt: Date): Promise<CartDoc> {
      const doc: CartDoc = { _id: new ObjectId(), userId: null, lines: [], checkout: {}, expiresAt, createdAt: now, updatedAt: now };
      await carts.insertOne(doc);
      return doc;
    },
    /** Sets a line's quantity if the line exists; false otherwise. */
    async setLineQty(cartId: ObjectId, variantId: ObjectId, qty: number, now: Date, expiresAt: Date | null): Promise<boolean> {
      const r = await carts.updateOne(
        { _id: cartId, 'lines.variantId': variantId },
        { $set: { 'lines.$.qty': qty, updatedAt: now, ...touch(expiresAt) }, $unset: { 'checkout.token': '' } },
      );
      return r.matchedCount === 1;
    },
    /** Adds a line unless one for this variant exists (then false: the caller updates it instead). */
    async pushLine(cartId: ObjectId, line: CartLine, now: Date, expiresAt: Date | null): Promise<boolean> {
      const r = await carts.updateOne(
        { _id: cartId, 'lines.variantId': { $ne: line.variantId } },
        { $push: { lines: line }, $set: { updatedAt: now, ...touch(expiresAt) }, $unset: { 'checkout.token': '' } },
      );
      return r.matchedCount === 1;
    },
    async removeLine(cartId: ObjectId, variantId: ObjectId, now: Date): Promise<void> {
      await carts.updateOne({ _id: cartId }, { $pull: { lines: { variantId } }, $set: { updatedAt: now }, $unset: { 'checkout.token': '' } });
    },
    async replaceLines(cartId: ObjectId, lines: CartLine[], now: Date): Promise<void> {
      await carts.updateOne({ _id: cartId }, { $set: { lines, updatedAt: now }, $unset: { 'checkout.token': '' } });
    },
    async setSeenPrices(cartId: ObjectId, prices: { variantId: ObjectId; amount: number; currency: string }[]): Promise<void> {
      for (const p of prices) {
        await carts.updateOne({ _id: cartId, 'lines.variantId': p.variantId }, { $set: { 'lines.$.seenPrice': { amount: p.amount, currency: p.currency } } });
      }
    },
    async setCheckout(cartId: ObjectId, patch: Partial<CheckoutState>, unset: readonly (keyof CheckoutState)[] = []): Promise<void> {
      const $set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) $set[`checkout.${k}`] = v;
      const $unset: Record<string, ''> = {};
      for (const k of unset) $unset[`checkout.${k}`] = '';
      const update: Record<string, unknown> = {};
      if (Object.keys($set).length > 0) update.$set = $set;
      if (Object.keys($unset).length > 0) update.$unset = $unset;
      if (Object.keys(update).length > 0) await carts.updateOne({ _id: cartId }, update);
    },
    /** After an order: empty the lines and forget the checkout, only if the token is still this one. */
    async emptyAfterOrder(cartId: ObjectId, token: string, now: Date): Promise<void> {
      await carts.updateOne({ _id: cartId, 'checkout.token': token }, { $set: { lines: [], checkout: {}, updatedAt: now } });
    },
    /** A placement on this token failed: the next review issues a new one (only if it is still this one). */
    async dropToken(cartId: ObjectId, token: string): Promise<void> {
      await carts.updateOne({ _id: cartId, 'checkout.token': token }, { $unset: { 'checkout.token': '' } });
    },
    async delete(cartId: ObjectId): Promise<void> {
      await carts.deleteOne({ _id: cartId });
    },
  };
}

function touch(expiresAt: Date | null): { expiresAt?: Date } {
  return expiresAt ? { expiresAt } : {};
}

export type CartRepository = ReturnType<typeof createCartRepository>;
