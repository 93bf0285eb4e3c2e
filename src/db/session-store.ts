import type { Collection, Db } from 'mongodb';
import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { IndexDeclaration } from './client.js';

/**
 * The MongoDB store behind @fastify/session. One document per session; `expiresAt` follows the
 * cookie expiry (rolling: pushed forward on each save) and a TTL index removes expired sessions.
 */
export const SESSIONS_COLLECTION = 'sessions';

export interface SessionDocument {
  _id: string;
  data: Record<string, unknown>;
  expiresAt: Date;
  updatedAt: Date;
}

export const sessionIndexes: IndexDeclaration[] = [
  { collection: SESSIONS_COLLECTION, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
];

type Callback = (err?: unknown) => void;
type SessionCallback = (err: unknown, session?: Session | null) => void;

export interface MongoSessionStoreOptions {
  /** Lifetime used when the cookie carries no expiry (ms). */
  defaultTtlMs: number;
}

function expiryOf(session: unknown, fallbackMs: number): Date {
  if (typeof session === 'object' && session !== null && 'cookie' in session) {
    const cookie = session.cookie;
    if (typeof cookie === 'object' && cookie !== null && 'expires' in cookie && cookie.expires instanceof Date) {
      return cookie.expires;
    }
  }
  return new Date(Date.now() + fallbackMs);
}

export class MongoSessionStore implements SessionStore {
  private readonly sessions: Collection<SessionDocument>;

  constructor(db: Db, private readonly options: MongoSessionStoreOptions) {
    this.sessions = db.collection<SessionDocument>(SESSIONS_COLLECTION);
  }

  set(sessionId: string, session: unknown, callback: Callback): void {
    // A JSON round trip keeps what the session would look like after a reload (Cookie → plain object).
    const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    const now = new Date();
    this.sessions
      .replaceOne(
        { _id: sessionId },
        { data, expiresAt: expiryOf(session, this.options.defaultTtlMs), updatedAt: now },
        { upsert: true },
      )
      .then(() => callback(), callback);
  }

  get(sessionId: string, callback: SessionCallback): void {
    // The TTL sweeper runs only now and then: an expired document must not be resurrected meanwhile.
    // The plugin expects a Session but only reads its fields to build a new one: plain data is enough.
    this.sessions
      .findOne({ _id: sessionId, expiresAt: { $gt: new Date() } })
      .then((doc) => callback(null, doc ? (doc.data as unknown as Session) : null), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    this.sessions.deleteOne({ _id: sessionId }).then(() => callback(), callback);
  }
}
