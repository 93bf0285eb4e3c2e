import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { AppModule, ModuleContext } from '../types.js';
import { accountRoutes } from './account-routes.js';
import { addressRoutes } from './address-routes.js';
import { authRoutes } from './auth-routes.js';
import { resetRoutes } from './reset-routes.js';
import { accountsIndexes } from './repository.js';
import { sessionUserIndexes } from './session-revocation.js';
import { throttleIndexes } from './throttle.js';

/** Customer accounts (issue 5); the auth plugin (request.user, guards) is registered by app.ts. */
const accounts: FastifyPluginAsync<ModuleContext> = async (site, context) => {
  for (const child of [authRoutes, resetRoutes, accountRoutes, addressRoutes]) await site.register(child, context);
};
const routes = fp(accounts, { name: 'accounts-module' }) as FastifyPluginAsync<ModuleContext>;

export const accountsModule: AppModule = {
  name: 'accounts',
  routes,
  indexes: [...accountsIndexes, ...throttleIndexes, ...sessionUserIndexes],
};
