import fp from 'fastify-plugin';
import csrf from '@fastify/csrf-protection';
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

export default fp<CsrfOptions>(
  async (app, options) => {
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true },
      logLevel: 'info',
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
