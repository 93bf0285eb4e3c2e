import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { AppModule, ModuleContext } from '../types.js';
import { signInGate } from './gate.js';
import { twoFactorLoginRoutes } from './login-routes.js';

/**
 * The sign-in gate and the second sign-in step. Listed FIRST in src/modules/index.ts: its onRequest
 * hook (not encapsulated) must be in place before any other module registers routes, so that it
 * runs for every page of the site. The /admin/security pages live in the admin module.
 */
const plugin: FastifyPluginAsync<ModuleContext> = async (site, context) => {
  site.addHook('onRequest', signInGate(context.services.staffSecurity));
  await site.register(twoFactorLoginRoutes, context);
};

export const staffSecurityModule: AppModule = {
  name: 'staff-security',
  routes: fp(plugin, { name: 'staff-security-gate' }) as FastifyPluginAsync<ModuleContext>,
};
