import { createHash, randomFillSync } from 'node:crypto';
import fp from 'fastify-plugin';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply } from 'fastify';
import { CsrfError } from '../lib/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every non-GET route. The secret lives in a signed, HttpOnly cookie (not in the
 * session), so rendering a page for an anonymous visitor writes nothing to the database: a session is
 * created only when something is put in it (cart, login, flash). Forms carry the token in
 * a hidden `_csrf` field (views/partials/csrf.eta). Checked in preValidation: after the body is
 * parsed, before the schema runs and before any handler can change anything.
 * A route opts out with `config: { csrf: false }`.
 */
export interface CsrfOptions {
  /** Secure cookie (https sites). */
  secure: boolean;
}

export const CSRF_COOKIE = '_csrf';

declare module 'fastify' {
  interface FastifyReply {
    /** A CSRF token for this visitor's forms (a new secret cookie when there is none); site context only. */
    csrfFormToken(): string;
  }
}

/**
 * Random bytes from a 4 KiB pool refilled by the system's CSPRNG: one call into OpenSSL per ~200
 * new visitors instead of one each (on the product page, where every new visitor needs a CSRF
 * secret, the per-call cost was a tenth of the request). Each byte is handed out once.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomBytesFromPool(length: number): Buffer {
  if (poolAt + length > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + length));
  pool.fill(0, poolAt, poolAt + length);
  poolAt += length;
  return bytes;
}

/**
 * A token as @fastify/csrf makes it with the options used here (sha256, no HMAC key, no validity,
 * no user info): `<salt>-<base64url sha256(salt-secret)>`, so the plugin's check accepts it. A new
 * salt per token masks the secret in every page (BREACH). The salt is hex: it may not contain "-".
 */
export function csrfTokenFor(secret: string): string {
  const salt = randomBytesFromPool(4).toString('hex');
  return `${salt}-${createHash('sha256').update(`${salt}-${secret}`, 'ascii').digest('base64url')}`;
}

/** How many verified cookies csrfFormToken remembers (about 100 bytes each). */
const VERIFIED_MAX = 10_000;

/** Same length as @fastify/csrf's default secret (18 bytes). */
const SECRET_BYTES = 18;

export default fp<CsrfOptions>(
  async (app, options) => {
    const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true } as const;
    await app.register(csrf, { sessionPlugin: '@fastify/cookie', cookieKey: CSRF_COOKIE, cookieOpts, logLevel: 'info' });
    /**
     * Signed cookie values already verified (or made) by this process → their secret: a returning
     * visitor's page costs no HMAC. Bounded: emptied when full. The POST check still verifies
     * through @fastify/csrf-protection.
     */
    const verified = new Map<string, string>();
    const remember = (signed: string, secret: string): void => {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(signed, secret);
    };
    // reply.generateCsrf() with its secret taken from the pool (csrfTokenFor above).
    app.decorateReply('csrfFormToken', function csrfFormToken(this: FastifyReply): string {
      const cookie = this.request.cookies[CSRF_COOKIE];
      let secret = cookie === undefined ? undefined : verified.get(cookie);
      if (secret === undefined && cookie !== undefined) {
        const unsigned = this.unsignCookie(cookie);
        if (unsigned.valid && unsigned.value) remember(cookie, (secret = unsigned.value));
      }
      if (secret === undefined) {
        secret = randomBytesFromPool(SECRET_BYTES).toString('base64url');
        const signed = this.signCookie(secret);
        this.setCookie(CSRF_COOKIE, signed, { ...cookieOpts, signed: false });
        remember(signed, secret);
      }
      return csrfTokenFor(secret);
    });
    app.addHook('preValidation', (request, reply, done) => {
      if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) {
        done();
        return;
      }
      // On failure it sends FST_CSRF_* to the error handler (→ translated 403) and never calls done.
      app.csrfProtection(request, reply, () => done());
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] },
);

export function isCsrfError(error: unknown): boolean {
  if (error instanceof CsrfError) return true;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET';
}
