import { randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfError } from '../lib/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every non-GET route. The secret lives in an HttpOnly, SameSite=Lax cookie (not
 * in the session), so rendering a page for an anonymous visitor writes nothing to the database: a
 * session is created only when something is put in it (cart, login, flash). The cookie is not
 * signed: a signature would not stop cookie tossing, since an attacker able
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
 * Random base64url text (6 random bits a character) from the system's CSPRNG, drawn 3 KiB at a time,
 * encoded once, and handed out a piece at a time, each character once: one call into OpenSSL and one
 * encoding per ~80 new visitors instead of one each (on the product page every new visitor needs a
 * CSRF secret and every token a pad; per call, those would cost more than the rest of the token).
 */
const randomBase64url = (() => {
  let text = '';
  let at = 0;
  return (chars: number): string => {
    if (at + chars > text.length) {
      text = randomBytes(3072).toString('base64url');
      at = 0;
    }
    at += chars;
    return text.slice(at - chars, at);
  };
})();

/** base64url's 64 characters (their codes), and each one's 6-bit value (-1: not one of them). */
const ALPHABET = new Uint8Array(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 'latin1'));
const VALUE = new Int8Array(128).fill(-1);
ALPHABET.forEach((code, value) => (VALUE[code] = value));
const valueOf = (text: string, i: number): number => VALUE[text.charCodeAt(i)] ?? -1;

/** 18 random bytes in base64url (144 bits): 24 characters. */
const SECRET_CHARS = 24;
/** A secret as made here: anything else in the cookie is replaced. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{24}$/;
/** Character codes of a secret or its masked form, being made (one at a time: no await between). */
const codes = new Array<number>(SECRET_CHARS).fill(0);

/**
 * A form token for a secret: a one-time pad and the secret masked by it (each base64url character's
 * value XOR the pad's), `<pad><masked>`, 48 characters. Unmasking gives the secret back, so the check
 * needs no hash (the scheme of Django's and Rails' CSRF tokens); a new pad per token makes every page's
 * token different, so a compressed page never repeats the secret for a length oracle to find (BREACH).
 */
export function csrfTokenFor(secret: string): string {
  const pad = randomBase64url(SECRET_CHARS);
  for (let i = 0; i < SECRET_CHARS; i++) codes[i] = ALPHABET[valueOf(secret, i) ^ valueOf(pad, i)] ?? 0;
  return pad + String.fromCharCode(...codes);
}

/** The secret inside a token, or undefined when it is not a token. */
function unmask(token: string): string | undefined {
  if (token.length !== 2 * SECRET_CHARS) return undefined;
  for (let i = 0; i < SECRET_CHARS; i++) {
    const pad = valueOf(token, i);
    const masked = valueOf(token, i + SECRET_CHARS);
    if (pad < 0 || masked < 0) return undefined;
    codes[i] = ALPHABET[pad ^ masked] ?? 0;
  }
  return String.fromCharCode(...codes);
}

/** The token a post carries: the form's `_csrf` field, or a `csrf-token` / `x-csrf-token` header. */
function tokenOf(request: FastifyRequest): unknown {
  const body = request.body as { _csrf?: unknown } | null | undefined;
  return body?._csrf ?? request.headers['x-csrf-token'] ?? request.headers['csrf-token'];
}

/**
 * The CSRF check of a state-changing request, once its body is parsed: undefined when its token
 * unmasks to the secret in its cookie, else the error to answer with (a translated 403). Compared in
 * constant time.
 */
export function csrfFailure(request: FastifyRequest): CsrfError | undefined {
  const secret = request.cookies[CSRF_COOKIE];
  if (secret === undefined || !SECRET_FORMAT.test(secret)) return new CsrfError('Missing CSRF secret cookie');
  const token = tokenOf(request);
  const inside = typeof token === 'string' ? unmask(token) : undefined;
  if (inside === undefined || !timingSafeEqual(Buffer.from(inside, 'latin1'), Buffer.from(secret, 'latin1'))) return new CsrfError('Invalid CSRF token');
  return undefined;
}

export default fp<CsrfOptions>(
  async (app, options) => {
    // The Set-Cookie line for a new secret, as @fastify/cookie would write it with these options, but
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
    app.addHook('preValidation', (request, _reply, done) => {
      if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) {
        done();
        return;
      }
      done(csrfFailure(request));
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] },
);

export function isCsrfError(error: unknown): boolean {
  return error instanceof CsrfError;
}
