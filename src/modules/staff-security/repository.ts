import type { Db, ObjectId } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';

export const TWO_FACTOR_COLLECTION = 'two_factor';

/** One document per user who started or finished TOTP enrolment (_id = user id). */
export interface TwoFactorDoc {
  _id: ObjectId;
  /** Base32 secret; set once enrolment is confirmed. */
  secret: string | null;
  /** Proposed secret awaiting the first valid code. */
  pendingSecret: string | null;
  enabledAt: Date | null;
  /** SHA-256 of the unused recovery codes (a used one is pulled out). */
  recoveryHashes: string[];
  /** Last accepted TOTP time step (replay protection). */
  lastStep: number;
  updatedAt: Date;
}

export const twoFactorIndexes: readonly IndexDeclaration[] = [];

export function createTwoFactorRepository(db: Db) {
  const docs = db.collection<TwoFactorDoc>(TWO_FACTOR_COLLECTION);
  return {
    find: (userId: ObjectId) => docs.findOne({ _id: userId }),
    async setPending(userId: ObjectId, pendingSecret: string, now: Date): Promise<void> {
      await docs.updateOne(
        { _id: userId },
        { $set: { pendingSecret, updatedAt: now }, $setOnInsert: { secret: null, enabledAt: null, recoveryHashes: [], lastStep: 0 } },
        { upsert: true },
      );
    },
    /** Pending → enabled, only if the pending secret is still the one the code was checked against. */
    async enable(userId: ObjectId, secret: string, step: number, recoveryHashes: string[], now: Date): Promise<boolean> {
      const r = await docs.updateOne(
        { _id: userId, pendingSecret: secret },
        { $set: { secret, pendingSecret: null, enabledAt: now, recoveryHashes, lastStep: step, updatedAt: now } },
      );
      return r.modifiedCount === 1;
    },
    async disable(userId: ObjectId): Promise<boolean> {
      const r = await docs.deleteOne({ _id: userId });
      return r.deletedCount === 1;
    },
    /** Accepts a step only if newer than the last accepted one (atomic: a code works once). */
    async useStep(userId: ObjectId, step: number, now: Date): Promise<boolean> {
      const r = await docs.updateOne({ _id: userId, enabledAt: { $ne: null }, lastStep: { $lt: step } }, { $set: { lastStep: step, updatedAt: now } });
      return r.modifiedCount === 1;
    },
    /** Removes one recovery code if present (atomic: of two concurrent uses, one wins). */
    async useRecoveryCode(userId: ObjectId, hash: string, now: Date): Promise<boolean> {
      const r = await docs.updateOne({ _id: userId, enabledAt: { $ne: null }, recoveryHashes: hash }, { $pull: { recoveryHashes: hash }, $set: { updatedAt: now } });
      return r.modifiedCount === 1;
    },
    async replaceRecoveryCodes(userId: ObjectId, recoveryHashes: string[], now: Date): Promise<boolean> {
      const r = await docs.updateOne({ _id: userId, enabledAt: { $ne: null } }, { $set: { recoveryHashes, updatedAt: now } });
      return r.modifiedCount === 1;
    },
  };
}

export type TwoFactorRepository = ReturnType<typeof createTwoFactorRepository>;
