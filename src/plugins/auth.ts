import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../lib/errors.js';
import type { CurrentUser } from '../modules/accounts/types.js';
import type { Role } from '../modules/accounts/repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null for a visitor (src/plugins/auth.ts). */
    user: CurrentUser | null;
  }
  interface Session {
    /** Hex id of the signed-in user; also queried to end a user's sessions. */
    userId?: string;
    /** A password-reset token moved out of the URL (src/modules/accounts/reset-routes.ts). */
    resetToken?: string;
  }
}

export interface AuthOptions {
  users: { findUser(id: string): Promise<CurrentUser | null> };
}

/** Pages a user with a one-time password (create-admin) may see before choosing a real one. */
const ONE_TIME_PASSWORD_PATHS = new Set(['/account/password', '/logout']);

/**
 * Loads the signed-in user into request.user and the header's account link into the view locals.
 * Needs the session plugin (registered before). Guards below are preHandler hooks for routes.
 */
export default fp<AuthOptions>(
  async (app, { users }) => {
    app.decorateRequest('user', null);
    // Set per request below (a shared object as the decorator's value would leak between requests).
    if (!app.hasReplyDecorator('locals')) app.decorateReply('locals', null as unknown as Record<string, unknown>);
    app.addHook('onRequest', async (request, reply) => {
      reply.locals = { ...(reply.locals ?? {}) };
      const id = request.session.userId;
      const user = typeof id === 'string' ? await users.findUser(id) : null;
      if (typeof id === 'string' && user === null) delete request.session.userId; // deleted meanwhile
      request.user = user;
      reply.locals.user = user;
      reply.locals.account = user
        ? { href: '/account', label: user.name === '' ? request.t('accounts.nav.account') : user.name }
        : { href: '/login', label: request.t('accounts.nav.login') };
      const path = request.url.split('?')[0] ?? '';
      if (user?.mustChangePassword && !ONE_TIME_PASSWORD_PATHS.has(path)) {
        reply.flash('info', 'accounts.password.mustChange');
        return reply.code(303).redirect('/account/password');
      }
      return undefined;
    });
  },
  { name: 'auth', dependencies: ['session', 'flash'] },
);

/** `?next=` for the login page: where the visitor wanted to go (GET only; a POST cannot be replayed). */
function loginRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const target = request.method === 'GET' ? `/login?next=${encodeURIComponent(request.url)}` : '/login';
  return reply.code(303).redirect(target);
}

export async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (!request.user) return loginRedirect(request, reply);
  return undefined;
}

function requireRole(roles: readonly Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!request.user) return loginRedirect(request, reply);
    if (!roles.includes(request.user.role)) throw new ForbiddenError(`Role ${request.user.role} may not see ${request.url}`);
    return undefined;
  };
}

export const requireStaff = requireRole(['staff', 'admin']);
export const requireAdmin = requireRole(['admin']);
