import { hash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply } from 'fastify';
import { CsrfError } from '../lib/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every non-GET route. The secret lives in an HttpOnly, SameSite=Lax cookie (not
 * in the session), so rendering a page for an anonymous visitor writes nothing to the database: a
 * session is created only when something is put in it (cart, login, flash). The cookie is not
 * signed (the plugin's default): a signature would not stop cookie tossing, since an attacker able
 * to set a victim's cookie could set one of their own validly signed secrets, and it cost an HMAC
 * on every new visitor's page and every form post. Forms carry the token in
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
 * Random text from the system's CSPRNG, drawn 3 KiB at a time, encoded once, and handed out a
 * piece at a time, each character once: one call into OpenSSL and one encoding per ~150 new visitors
 * instead of one each (on the product page every new visitor needs a CSRF secret and every page a
 * salt; per call, those cost more than the rest of the token). A base64url character holds 6
 * random bits, a hex one 4.
 */
function randomTextPool(encoding: 'hex' | 'base64url'): (chars: number) => string {
  let text = '';
  let at = 0;
  return (chars) => {
    if (at + chars > text.length) {
      text = randomBytes(3072).toString(encoding);
      at = 0;
    }
    at += chars;
    return text.slice(at - chars, at);
  };
}
const randomHex = randomTextPool('hex');
const randomBase64url = randomTextPool('base64url');

/**
 * A token as @fastify/csrf makes it with the options used here (sha256, no HMAC key, no validity,
 * no user info): `<salt>-<base64url sha256(salt-secret)>`, so the plugin's check accepts it. A new
 * salt per token masks the secret in every page (BREACH). The salt is hex: it may not contain "-".
 */
export function csrfTokenFor(secret: string): string {
  const salt = randomHex(8); // 4 bytes
  // One-shot hash: half the cost of createHash for input this short (the secret is base64url: ASCII).
  return `${salt}-${hash('sha256', `${salt}-${secret}`, 'base64url')}`;
}

/** Same length as @fastify/csrf's default secret (18 bytes: 24 base64url characters, 144 bits). */
const SECRET_CHARS = 24;
/** A secret as made here (or by @fastify/csrf): 18 bytes in base64url. Anything else is replaced. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export default fp<CsrfOptions>(
  async (app, options) => {
    const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure } as const;
    await app.register(csrf, { sessionPlugin: '@fastify/cookie', cookieKey: CSRF_COOKIE, cookieOpts, logLevel: 'info' });
    // reply.generateCsrf() with its secret taken from the pool (csrfTokenFor above).
    // The Set-Cookie line for a new secret, as @fastify/cookie would write it with cookieOpts, but
    // built here: its per-call option merging and serializing cost more than the rest of the token.
    const cookieAttributes = `; Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
    app.decorateReply('csrfFormToken', function csrfFormToken(this: FastifyReply): string {
      const cookies = this.request.cookies;
      let secret = cookies[CSRF_COOKIE];
      if (secret === undefined || !SECRET_FORMAT.test(secret)) {
        secret = randomBase64url(SECRET_CHARS);
        this.header('set-cookie', `${CSRF_COOKIE}=${secret}${cookieAttributes}`);
        // A second token in this response must come from the same secret (one cookie, one secret).
        cookies[CSRF_COOKIE] = secret;
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
