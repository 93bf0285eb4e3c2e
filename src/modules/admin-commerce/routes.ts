import type { FastifyPluginAsync } from 'fastify';
import { adminScope } from '../admin/scope.js';
import type { AppModule, ModuleContext } from '../types.js';
import { discountRoutes } from './discount-routes.js';
import { shippingRoutes } from './shipping-routes.js';
import { taxRoutes } from './tax-routes.js';

/** Back office, commerce settings (issue 7 point 3): shipping methods, tax rates, discount codes. Admins only. */
const routes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  for (const child of [shippingRoutes, taxRoutes, discountRoutes]) await app.register(child, context);
};

export const adminCommerceModule: AppModule = { name: 'admin-commerce', routes: adminScope(routes) };
