import type { FastifyPluginAsync } from 'fastify';
import { adminScope } from '../admin/scope.js';
import type { AppModule, ModuleContext } from '../types.js';
import { categoryRoutes } from './category-routes.js';
import { homeRoutes } from './home-routes.js';
import { menuRoutes } from './menu-routes.js';

/** Back office, site structure (issue 7 point 3): categories, the menu, the home page sections. Staff and admins. */
const routes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  for (const child of [categoryRoutes, menuRoutes, homeRoutes]) await app.register(child, context);
};

export const adminStructureModule: AppModule = { name: 'admin-structure', routes: adminScope(routes) };
