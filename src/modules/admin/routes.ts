import type { FastifyPluginAsync } from 'fastify';
import { auditIndexes } from '../audit/repository.js';
import { auditRoutes } from '../audit/routes.js';
import { stockReportIndexes } from '../catalog/stock-report.js';
import { orderStatsIndexes } from '../orders/stats-repository.js';
import { twoFactorIndexes } from '../staff-security/repository.js';
import { securityRoutes } from '../staff-security/security-routes.js';
import type { AppModule, ModuleContext } from '../types.js';
import { customersRoutes } from './customers-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { adminScope } from './scope.js';
import { settingsRoutes } from './settings-routes.js';
import { adminUserIndexes } from './users-repository.js';

/** The back office core (issue 7): dashboard, customers and users, settings, audit log, staff security. */
const routes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  for (const child of [dashboardRoutes, customersRoutes, settingsRoutes, auditRoutes, securityRoutes]) await app.register(child, context);
};

export const adminModule: AppModule = {
  name: 'admin',
  routes: adminScope(routes),
  indexes: [...auditIndexes, ...orderStatsIndexes, ...stockReportIndexes, ...adminUserIndexes, ...twoFactorIndexes],
};
