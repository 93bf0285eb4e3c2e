import type { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import type { Money } from '../../lib/money.js';
import type { MailService } from '../mail/service.js';
import type { PasswordHasher } from './passwords.js';
import type { AccountsRepository, Role, UserDocument } from './repository.js';
import type { LoginThrottle } from './throttle.js';

/** What pages and guards know about the signed-in user (no hash, no addresses). */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale | null;
  mustChangePassword: boolean;
}

export function toCurrentUser(doc: UserDocument): CurrentUser {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name,
    role: doc.role,
    locale: doc.locale,
    mustChangePassword: doc.mustChangePassword,
  };
}

/** Ends sessions of a user (src/modules/accounts/session-revocation.ts until the session store offers it). */
export interface SessionRevoker {
  endUserSessions(userId: string, exceptSessionId?: string): Promise<number>;
}

export interface OrderSummary {
  id: string;
  number: string;
  placedAt: Date;
  status: string;
  total: Money;
}

/**
 * The orders module (checkout issue) plugs in here: the account pages list a user's orders through
 * it, and deleting an account anonymises the customer on them. Absent: no orders yet.
 */
export interface CustomerOrders {
  listForUser(userId: ObjectId): Promise<OrderSummary[]>;
  findForUser(userId: ObjectId, orderId: string): Promise<OrderSummary | null>;
  anonymiseCustomer(userId: ObjectId): Promise<void>;
}

export interface AccountsServiceDeps {
  repository: AccountsRepository;
  throttle: LoginThrottle;
  hasher: PasswordHasher;
  mail: Pick<MailService, 'send'>;
  sessions: SessionRevoker;
  orders?: CustomerOrders;
  clock: () => Date;
  /** Where logs go for events the operator should see (lock, reset); never passwords. */
  log?: (event: string, data: Record<string, string>) => void;
}

export const RESET_TOKEN_TTL_MS = 3600_000;
