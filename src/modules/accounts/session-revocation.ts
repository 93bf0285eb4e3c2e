import type { Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { SESSIONS_COLLECTION } from '../../db/session-store.js';
import type { SessionRevoker } from './types.js';

/**
 * Ends a user's sessions. The session store (src/db/session-store.ts) saves the session data as
 * `data`, so the signed-in user's id is queryable as `data.userId`. Kept here until the store
 * offers this itself (requested in /work/briefs/REQUESTS.md).
 */
export const sessionUserIndexes: readonly IndexDeclaration[] = [
  { collection: SESSIONS_COLLECTION, key: { 'data.userId': 1 }, options: { name: 'data_userId', sparse: true } },
];

export function createSessionRevoker(db: Db): SessionRevoker {
  const sessions = db.collection<{ _id: string }>(SESSIONS_COLLECTION);
  return {
    async endUserSessions(userId, exceptSessionId) {
      const filter = exceptSessionId === undefined ? { 'data.userId': userId } : { 'data.userId': userId, _id: { $ne: exceptSessionId } };
      const result = await sessions.deleteMany(filter);
      return result.deletedCount;
    },
  };
}
