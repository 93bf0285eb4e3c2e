import { createHash } from 'node:crypto';
import { BSON, type Db } from 'mongodb';

/**
 * Collections left out of the "a rejected request changed nothing" check, and why:
 * - sessions: a request may create or roll a session (cookie expiry, CSRF secret, flash message);
 *   that is the visitor's own bookkeeping, not shop state.
 * - login_throttle: a refused login is *meant* to be counted (src/modules/accounts/throttle.ts).
 */
export const BOOKKEEPING = new Set(['sessions', 'login_throttle']);

export type Snapshot = ReadonlyMap<string, string>;

/** One hash per collection (documents in _id order, serialised as BSON). */
export async function snapshot(db: Db): Promise<Snapshot> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !BOOKKEEPING.has(n)).sort();
  // In parallel: the driver spreads the reads over its pool, and this runs between every batch.
  const digests = await Promise.all(
    names.map(async (name) => {
      const hash = createHash('sha256');
      for (const doc of await db.collection(name).find({}).sort({ _id: 1 }).toArray()) hash.update(BSON.serialize(doc));
      return [name, hash.digest('hex')] as const;
    }),
  );
  return new Map(digests);
}

/** Names of the collections that differ (added, removed or changed). */
export function changedCollections(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}
