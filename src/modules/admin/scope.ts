import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../lib/errors.js';
import { requireStaff } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import type { ActorContext } from '../audit/types.js';
import type { ModuleContext } from '../types.js';
import { ORDER_STATUS_LABELS, ROLE_LABELS } from './labels.js';
import { visibleNav } from './nav.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Back office: only the admin role (users, roles, settings). Checked by adminGuard. */
    adminOnly?: boolean;
    /** Back office: reachable by staff who must still set up 2FA (the setup pages themselves). */
    twoFactorSetup?: boolean;
  }
}

export const TWO_FACTOR_SETUP_PATH = '/admin/security';

/**
 * The access check of every back-office route, as an onRequest hook: it runs before CSRF and body
 * validation, so a visitor is sent to the login page and a customer gets 403 whatever they send.
 */
export function adminGuard(services: Pick<Services, 'admin' | 'staffSecurity'>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const denied = await requireStaff(request, reply);
    if (denied) return denied;
    const user = request.user;
    if (!user) return reply;
    const config = request.routeOptions.config;
    if (config.adminOnly && user.role !== 'admin') throw new ForbiddenError(`Staff may not use ${request.url}`);
    if (!config.twoFactorSetup && request.session.twoFactorVerifiedFor !== user.id) {
      const { enforceTwoFactor } = await services.admin.settings.get();
      if (enforceTwoFactor && !(await services.staffSecurity.isEnabled(user.id))) {
        reply.flash('info', 'staff.twoFactor.required');
        return reply.code(303).redirect(TWO_FACTOR_SETUP_PATH);
      }
    }
    reply.locals.adminNav = visibleNav(user.role, request.url.split('?')[0] ?? '');
    reply.locals.adminUser = user;
    reply.locals.roleLabels = ROLE_LABELS;
    reply.locals.statusLabels = ORDER_STATUS_LABELS;
    return undefined;
  };
}

/**
 * Wraps a plugin so that every route in it is a back-office route: staff or admin signed in,
 * `config: { adminOnly: true }` for admin-only routes, 2FA enforced when the setting says so,
 * and the admin navigation available to views/admin/layout.eta.
 *
 *   export const adminProductsModule: AppModule = { name: 'admin-products', routes: adminScope(productRoutes) };
 */
export function adminScope(plugin: FastifyPluginAsync<ModuleContext>): FastifyPluginAsync<ModuleContext> {
  return async (app, context) => {
    // The admin layout shows no cart: its pages need no item count (src/modules/cart/routes.ts).
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, cartHeader: false };
    });
    app.addHook('onRequest', adminGuard(context.services));
    await app.register(plugin, context);
  };
}

/** Who is acting, for audit entries. Only valid inside adminScope (the guard ensured a user). */
export function actorOf(request: FastifyRequest): ActorContext {
  const user = request.user;
  if (!user) throw new ForbiddenError('No signed-in user');
  return { id: user.id, email: user.email, ip: request.ip };
}
