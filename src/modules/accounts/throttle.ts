import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { isDuplicateKey } from './repository.js';

/**
 * Login throttling kept in MongoDB, so that every app process sees the same counts. One document per
 * key (an account's email hash, or an IP): failures in the current window, the last failure, a lock.
 * After `free` failures each attempt must wait a growing delay (1 s, 2 s, 4 s… up to maxDelayMs);
 * at `lockAfter` failures the key is locked for lockMs.
 */
export const LOGIN_THROTTLE_COLLECTION = 'login_throttle';

export interface ThrottleRule {
  free: number;
  lockAfter: number;
}

export interface ThrottlePolicy {
  windowMs: number;
  lockMs: number;
  maxDelayMs: number;
  account: ThrottleRule;
  ip: ThrottleRule;
}

const MINUTE = 60_000;
export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  maxDelayMs: 30_000,
  account: { free: 3, lockAfter: 10 },
  // An IP may be a whole office behind NAT: more room before it slows down.
  ip: { free: 20, lockAfter: 100 },
};

interface ThrottleDocument {
  _id: string;
  failures: number;
  windowStart: Date;
  lastFailure: Date;
  lockedUntil: Date | null;
  expiresAt: Date;
}

export const throttleIndexes: readonly IndexDeclaration[] = [
  { collection: LOGIN_THROTTLE_COLLECTION, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
];

export interface ThrottleKeys {
  account: string;
  ip: string;
}

/** Keys for one attempt; the email is hashed so the collection holds no personal data. */
export function throttleKeys(email: string, ip: string): ThrottleKeys {
  return { account: 'a:' + createHash('sha256').update(email).digest('hex'), ip: 'ip:' + ip };
}

export interface Blocked {
  /** When the next attempt is allowed. */
  until: Date;
  locked: boolean;
}

export function delayMs(failures: number, rule: ThrottleRule, maxDelayMs: number): number {
  if (failures < rule.free) return 0;
  return Math.min(1000 * 2 ** (failures - rule.free), maxDelayMs);
}

export function createLoginThrottle(db: Db, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  const docs = db.collection<ThrottleDocument>(LOGIN_THROTTLE_COLLECTION);
  const ruleOf = (key: string): ThrottleRule => (key.startsWith('ip:') ? policy.ip : policy.account);

  function blockedBy(doc: ThrottleDocument, now: Date): Blocked | undefined {
    if (doc.lockedUntil !== null && doc.lockedUntil > now) return { until: doc.lockedUntil, locked: true };
    if (doc.windowStart.getTime() <= now.getTime() - policy.windowMs) return undefined;
    const wait = delayMs(doc.failures, ruleOf(doc._id), policy.maxDelayMs);
    const until = new Date(doc.lastFailure.getTime() + wait);
    return until > now ? { until, locked: false } : undefined;
  }

  /**
   * One failure on one key, in one atomic update (an update pipeline): a window that ended starts
   * over (unless a lock still runs), the count goes up, and the failure that reaches `lockAfter` sets
   * the lock. A missing or null field compares lower than any date, so a new key starts fresh.
   */
  async function increment(key: string, now: Date): Promise<ThrottleDocument | null> {
    const rule = ruleOf(key);
    const fresh = { $and: [{ $lte: ['$windowStart', new Date(now.getTime() - policy.windowMs)] }, { $lte: ['$lockedUntil', now] }] };
    const failures = { $cond: [fresh, 1, { $add: ['$failures', 1] }] };
    return docs.findOneAndUpdate(
      { _id: key },
      [
        { $set: { failures, windowStart: { $cond: [fresh, now, '$windowStart'] }, lockedUntil: { $cond: [fresh, null, '$lockedUntil'] } } },
        {
          $set: {
            lastFailure: now,
            expiresAt: new Date(now.getTime() + policy.windowMs + policy.lockMs),
            lockedUntil: { $cond: [{ $eq: ['$failures', rule.lockAfter] }, new Date(now.getTime() + policy.lockMs), '$lockedUntil'] },
          },
        },
      ],
      { upsert: true, returnDocument: 'after' },
    );
  }

  return {
    /** The latest of the keys' blocks, or undefined when an attempt may proceed. */
    async check(keys: ThrottleKeys, now: Date): Promise<Blocked | undefined> {
      const found = await docs.find({ _id: { $in: [keys.account, keys.ip] } }).toArray();
      let worst: Blocked | undefined;
      for (const doc of found) {
        const b = blockedBy(doc, now);
        if (b && (!worst || b.until > worst.until)) worst = { until: b.until, locked: b.locked || worst?.locked === true };
      }
      return worst;
    },

    /** Counts a failure on both keys; `accountLocked` is true for exactly one caller: the one that locked it. */
    async recordFailure(keys: ThrottleKeys, now: Date): Promise<{ accountLocked: boolean }> {
      let accountLocked = false;
      for (const key of [keys.account, keys.ip]) {
        let doc: ThrottleDocument | null;
        try {
          doc = await increment(key, now);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          doc = await increment(key, now); // two first failures raced on the upsert: the second is an update
        }
        // The update is atomic: exactly one request sees the count reach the limit.
        if (key === keys.account && doc?.failures === ruleOf(key).lockAfter) accountLocked = true;
      }
      return { accountLocked };
    },

    /** A successful login (or a password reset) clears the account's count, not the IP's. */
    async clearAccount(email: string): Promise<void> {
      await docs.deleteOne({ _id: throttleKeys(email, '').account });
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
