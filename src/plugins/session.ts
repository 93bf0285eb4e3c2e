import fp from 'fastify-plugin';
import session from '@fastify/session';
import type { FastifyRequest } from 'fastify';
import type { Db } from 'mongodb';
import { MongoSessionStore } from '../db/session-store.js';

export interface SessionOptions {
  db: Db;
  secret: string;
  /** Secure cookie (https sites). */
  secure: boolean;
  /** Idle lifetime: each request with a session pushes the expiry forward (rolling). */
  maxAgeMs?: number;
}

export const SESSION_COOKIE = 'sid';
const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Server-side sessions in MongoDB. Nothing is stored for a visitor until something is put in the
 * session (saveUninitialized: false). Needs @fastify/cookie.
 */
export default fp<SessionOptions>(
  async (app, options) => {
    const maxAge = options.maxAgeMs ?? WEEK_MS;
    await app.register(session, {
      secret: options.secret,
      cookieName: SESSION_COOKIE,
      store: new MongoSessionStore(options.db, { defaultTtlMs: maxAge }),
      saveUninitialized: false,
      rolling: true,
      cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge },
    });
  },
  { name: 'session', dependencies: ['@fastify/cookie'] },
);

/**
 * New session id, same content minus what the caller drops: call it on login and logout so a
 * session id known before authentication is worthless after (session fixation).
 */
export async function regenerateSession(request: FastifyRequest, keep: readonly string[] = []): Promise<void> {
  await request.session.regenerate([...keep]);
}
