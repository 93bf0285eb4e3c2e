import fp from 'fastify-plugin';
import session, { type FastifySessionObject } from '@fastify/session';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Db } from 'mongodb';
import { MongoSessionStore } from '../db/session-store.js';
import { lazySession } from './lazy-session.js';

export interface SessionOptions {
  db: Db;
  secret: string;
  /** Secure cookie (https sites). */
  secure: boolean;
  /** Idle lifetime: each request with a session pushes the expiry forward (rolling). */
  maxAgeMs?: number;
  /**
   * An unchanged session's expiry is written back at most this often: a week-long expiry loses
   * nothing by rolling a minute late, and each page view of a signed-in visitor saves a write.
   */
  touchAfterMs?: number;
}

export const SESSION_COOKIE = 'sid';
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** This request's real Session: undefined while none was loaded or created, null once destroyed. */
const kSession = Symbol('vitrine.session');
/** The empty stand-in shown to a visitor without a session cookie (src/plugins/lazy-session.ts). */
const kLazy = Symbol('vitrine.lazySession');

interface SessionSlots {
  [kSession]: FastifySessionObject | null | undefined;
  [kLazy]: FastifySessionObject | undefined;
}

const slots = (request: FastifyRequest): SessionSlots => request as unknown as SessionSlots;

/** decryptSession's three-argument form: loads the session of a signed cookie into request.session. */
type Load = (sessionId: string, request: FastifyRequest, callback: (error?: unknown) => void) => void;

/** The Session's cookie is a class with toJSON (the options to set it with), typed as plain data. */
function cookieOptions(current: FastifySessionObject): CookieSerializeOptions {
  return (current.cookie as unknown as { toJSON(): CookieSerializeOptions }).toJSON();
}

/**
 * Server-side sessions in MongoDB through @fastify/session (its Session class, store contract,
 * signed cookie and decryptSession), with one change: a visitor who sends no session cookie gets a
 * lazy, empty session, and the real one is created only when something is written to it. The
 * plugin itself would build a Session (HMAC of a new id, hash of its content) for every such
 * request and hash it again to find it unchanged. Nothing is stored for a visitor until something
 * is put in the session (saveUninitialized: false); a loaded session's expiry rolls forward.
 * Needs @fastify/cookie.
 */
export default fp<SessionOptions>(
  async (app, options) => {
    const maxAge = options.maxAgeMs ?? WEEK_MS;
    const touchAfter = options.touchAfterMs ?? 60_000;
    /** A loaded session whose stored expiry was pushed forward less than `touchAfter` ago needs no write. */
    const touchDue = (current: FastifySessionObject): boolean => {
      const stored = (current.cookie as { originalExpires?: Date }).originalExpires;
      return stored === undefined || stored.getTime() - Date.now() < maxAge - touchAfter;
    };
    const store = new MongoSessionStore(options.db, { defaultTtlMs: maxAge });
    let decrypt: Load | undefined;
    // Registered in an empty child context: its hooks never run (that context has no routes);
    // its decryptSession loads a session by cookie, and the hooks below apply the same rules.
    await app.register(async (core) => {
      await core.register(session, {
        secret: options.secret,
        cookieName: SESSION_COOKIE,
        store,
        saveUninitialized: false,
        rolling: true,
        cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge },
      });
      decrypt = (sessionId, request, callback) => core.decryptSession(sessionId, request, callback);
    });
    const load: Load = (sessionId, request, callback) => {
      if (decrypt === undefined) throw new Error('session plugin not ready');
      decrypt(sessionId, request, callback);
    };

    app.decorateRequest(kSession, undefined);
    app.decorateRequest(kLazy, undefined);
    app.decorateRequest('sessionStore', { getter: () => store });
    app.decorateRequest('session', {
      getter(this: FastifyRequest): FastifySessionObject {
        const own = slots(this);
        const current = own[kSession];
        if (current !== undefined) return current as FastifySessionObject;
        return (own[kLazy] ??= lazySession(() => create(this)));
      },
      setter(this: FastifyRequest, value: FastifySessionObject | null) {
        slots(this)[kSession] = value;
      },
    });

    /** A new Session: decryptSession with no valid cookie builds one synchronously (and assigns it). */
    function create(request: FastifyRequest): FastifySessionObject {
      let failure: unknown;
      load('', request, (error?: unknown) => void (failure = error));
      const created = slots(request)[kSession];
      if (failure !== undefined || !created) throw new Error('@fastify/session did not create a session', { cause: failure });
      return created;
    }

    app.addHook('onRequest', (request, _reply, done) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) return done();
      load(cookie, request, (error?: unknown) => done(error instanceof Error ? error : undefined));
    });

    // @fastify/session's onSend rules, for a session that exists (loaded, or created by a write).
    app.addHook('onSend', (request, reply, _payload, done) => {
      const current = slots(request)[kSession];
      if (!current || !current.sessionId || !current.encryptedSessionId) return done();
      const cookieId = request.cookies[SESSION_COOKIE];
      const sameCookie = cookieId === current.encryptedSessionId;
      // rolling: a loaded session is saved when changed or when its expiry is due to roll; a new
      // one only when written to. Not after a server error: a 503 because the database is down
      // would wait for it once more (a second server-selection timeout) before answering.
      const save = (current.isModified() || (sameCookie && touchDue(current))) && reply.statusCode < 500;
      const insecure = current.cookie.secure === true && request.protocol !== 'https';
      if (!save || insecure) {
        if (cookieId && !sameCookie) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        if (current.isSaved()) reply.setCookie(SESSION_COOKIE, current.encryptedSessionId, cookieOptions(current));
        return done();
      }
      current.save((error?: unknown) => {
        if (error) return done(error instanceof Error ? error : new Error(String(error)));
        reply.setCookie(SESSION_COOKIE, current.encryptedSessionId, cookieOptions(current));
        done();
      });
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
