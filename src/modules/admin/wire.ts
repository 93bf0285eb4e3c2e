import type { Db } from 'mongodb';
import { createPasswordHasher, type PasswordHasher } from '../accounts/passwords.js';
import type { SessionRevoker } from '../accounts/types.js';
import { createSessionRevoker } from '../accounts/session-revocation.js';
import { createAuditRepository } from '../audit/repository.js';
import { createAuditService, type AuditService } from '../audit/service.js';
import { createVersionedCache } from '../catalog/cache.js';
import { createStockReport } from '../catalog/stock-report.js';
import type { PlacedOrder } from '../orders/types.js';
import { createOrderStatsRepository } from '../orders/stats-repository.js';
import { createTwoFactorRepository } from '../staff-security/repository.js';
import { createStaffSecurityService, type StaffSecurityService } from '../staff-security/service.js';
import { createCustomersService, type CustomersService } from './customers-service.js';
import { createDashboardService, type DashboardService } from './dashboard-service.js';
import { createAdminSettingsRepository } from './settings-repository.js';
import { createAdminSettingsService, type AdminSettingsService } from './settings-service.js';
import { createAdminUsersRepository } from './users-repository.js';
import type { ObjectId } from 'mongodb';

export interface AdminServices {
  dashboard: DashboardService;
  customers: CustomersService;
  settings: AdminSettingsService;
}

export interface BackOfficeWiring {
  db: Db;
  clock: () => Date;
  currency: () => Promise<string>;
  orders: { forUser(userId: ObjectId, limit?: number): Promise<PlacedOrder[]> };
  hasher?: PasswordHasher;
  sessions?: SessionRevoker;
  issuer?: string;
}

/** Audit log, staff security and the back office's own services (src/services.ts calls this). */
export function wireBackOffice(deps: BackOfficeWiring): { audit: AuditService; staffSecurity: StaffSecurityService; admin: AdminServices } {
  const { db, clock } = deps;
  const audit = createAuditService({ repository: createAuditRepository(db), clock });
  const users = createAdminUsersRepository(db);
  const sessions = deps.sessions ?? createSessionRevoker(db);
  const settings = createAdminSettingsService({ repository: createAdminSettingsRepository(db), audit, clock, cache: createVersionedCache({ db, name: 'adminSettings' }) });
  const staffSecurity = createStaffSecurityService({
    twoFactor: createTwoFactorRepository(db), users, hasher: deps.hasher ?? createPasswordHasher(), sessions, audit, clock, issuer: deps.issuer ?? 'Vitrine',
  });
  const dashboard = createDashboardService({ stats: createOrderStatsRepository(db), stock: createStockReport(db), settings, currency: deps.currency, clock });
  const customers = createCustomersService({ users, orders: deps.orders, sessions, audit, clock });
  return { audit, staffSecurity, admin: { dashboard, customers, settings } };
}
