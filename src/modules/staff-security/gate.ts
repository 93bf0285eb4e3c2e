import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeLocalPath } from '../../lib/redirect.js';
import { signOut } from '../accounts/auth-routes.js';
import type { StaffSecurityService } from './service.js';
import './session.js';

export const TWO_FACTOR_LOGIN_PATH = '/login/two-factor';
/** How long a password-only half sign-in waits for its second factor. */
export const PENDING_TTL_MS = 10 * 60_000;

/**
 * The sign-in gate (onRequest, before the auth plugin loads request.user). The first request of a
 * freshly signed-in session is checked once: a disabled account is signed out; an account with
 * 2FA is moved back to "password accepted, code due" (no user id in the session) and sent to the
 * code page. Until the login route asks for the code itself (requested from the accounts module),
 * this is what makes the second factor mandatory; afterwards it stays as the defence in depth.
 */
export function signInGate(security: Pick<StaffSecurityService, 'loginState'>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const session = request.session;
    const userId = session.userId;
    if (typeof userId !== 'string' || session.gateCheckedFor === userId) return undefined;
    const state = await security.loginState(userId);
    if (!state.exists) return undefined; // the auth plugin drops an unknown id
    if (state.disabled) {
      await signOut(request);
      reply.flash('error', 'staff.login.disabled');
      return reply.code(303).redirect('/login');
    }
    const now = Date.now();
    if (state.twoFactor && session.twoFactorVerifiedFor !== userId) {
      const expires = session.cookie.expires;
      session.twoFactorPending = {
        userId,
        at: now,
        attempts: 0,
        // "Remember me" gave the cookie an expiry; carried over to the real sign-in.
        remember: expires instanceof Date && expires.getTime() - now > 8 * 24 * 3600_000,
        next: request.method === 'GET' ? safeLocalPath(request.url, '/account') : '/account',
      };
      delete session.userId;
      delete session.flash;
      if ((request.url.split('?')[0] ?? '') === TWO_FACTOR_LOGIN_PATH) return undefined;
      return reply.code(303).redirect(TWO_FACTOR_LOGIN_PATH);
    }
    session.gateCheckedFor = userId;
    // The first request after a sign-in: the password was just entered.
    session.sudo = { userId, at: now };
    return undefined;
  };
}
