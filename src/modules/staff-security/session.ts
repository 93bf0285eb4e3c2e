import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeLocalPath } from '../../lib/redirect.js';

/** What this module keeps in the session, and "sudo mode" (a recent password confirmation). */
declare module 'fastify' {
  interface Session {
    /** Password accepted, second factor still due: the user is NOT signed in yet. */
    twoFactorPending?: { userId: string; at: number; attempts: number; remember: boolean; next: string };
    /** The user id whose second factor this session passed. */
    twoFactorVerifiedFor?: string;
    /** The user id the sign-in gate already checked in this session (disabled, 2FA). */
    gateCheckedFor?: string;
    /** Last time the signed-in user proved their password (sign-in or re-entry). */
    sudo?: { userId: string; at: number };
    /** Fresh recovery codes, shown once on the next page and then forgotten. */
    recoveryCodesToShow?: string[];
  }
}

export const SUDO_WINDOW_MS = 15 * 60_000;
export const CONFIRM_PATH = '/admin/confirm';

export function isRecentlyConfirmed(request: FastifyRequest, now = Date.now()): boolean {
  const sudo = request.session.sudo;
  const userId = request.user?.id;
  return userId !== undefined && sudo?.userId === userId && now - sudo.at <= SUDO_WINDOW_MS && sudo.at <= now;
}

export function markConfirmed(request: FastifyRequest, now = Date.now()): void {
  if (request.user) request.session.sudo = { userId: request.user.id, at: now };
}

/** Where to come back to after confirming: the page itself for a GET, the form's page for a POST. */
function returnPath(request: FastifyRequest): string {
  if (request.method === 'GET') return safeLocalPath(request.url, '/admin');
  const referer = request.headers.referer;
  if (typeof referer === 'string') {
    try {
      const url = new URL(referer);
      if (url.host === request.host) return safeLocalPath(url.pathname + url.search, '/admin');
    } catch {
      // not a URL: fall through
    }
  }
  return '/admin';
}

/**
 * preHandler for sensitive actions (role changes, exports): passes when the password was confirmed
 * in the last 15 minutes, else sends the user to the confirmation page, which brings them back.
 * A POST cannot be replayed after a redirect, so the user submits the form again once confirmed.
 */
export async function requireRecentConfirmation(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (isRecentlyConfirmed(request)) return undefined;
  reply.flash('info', 'staff.confirm.needed');
  return reply.code(303).redirect(`${CONFIRM_PATH}?next=${encodeURIComponent(returnPath(request))}`);
}
