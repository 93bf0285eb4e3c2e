import type { Db } from 'mongodb';
import type { MailService } from '../mail/service.js';
import { createAuthService } from './auth-service.js';
import { createPasswordHasher, type PasswordHasher } from './passwords.js';
import { createProfileService } from './profile-service.js';
import { createAccountsRepository } from './repository.js';
import { createSessionRevoker } from './session-revocation.js';
import { createLoginThrottle, type ThrottlePolicy } from './throttle.js';
import type { AccountsServiceDeps, CustomerOrders } from './types.js';

export function createAccountsService(deps: AccountsServiceDeps) {
  return { ...createAuthService(deps), ...createProfileService(deps) };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export interface AccountsWiring {
  db: Db;
  mail: Pick<MailService, 'send'>;
  clock: () => Date;
  throttle?: ThrottlePolicy;
  hasher?: PasswordHasher;
  orders?: CustomerOrders;
}

/** The accounts service over its MongoDB collections (src/services.ts and the CLI use this). */
export function wireAccountsService({ db, mail, clock, throttle, hasher, orders }: AccountsWiring): AccountsService {
  return createAccountsService({
    repository: createAccountsRepository(db),
    throttle: createLoginThrottle(db, throttle),
    hasher: hasher ?? createPasswordHasher(),
    sessions: createSessionRevoker(db),
    mail,
    clock,
    orders,
  });
}
