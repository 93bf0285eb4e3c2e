import type { ObjectId } from 'mongodb';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { ROLES, type Role } from '../accounts/repository.js';
import type { SessionRevoker } from '../accounts/types.js';
import type { AuditService } from '../audit/service.js';
import type { ActorContext } from '../audit/types.js';
import type { PlacedOrder } from '../orders/types.js';
import { parseObjectId, type AdminUserDoc, type AdminUsersRepository, type UserSort } from './users-repository.js';

export const PER_PAGE = 25;

export interface CustomersDeps {
  users: AdminUsersRepository;
  orders: { forUser(userId: ObjectId, limit?: number): Promise<PlacedOrder[]> };
  sessions: SessionRevoker;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
}

export interface UserListInput {
  q: string;
  sort: UserSort;
  dir: 1 | -1;
  page: number;
  /** Customers only (staff may see them) or every account (admins). */
  roles: readonly Role[];
}

export interface UserList {
  items: AdminUserDoc[];
  total: number;
  page: number;
  pages: number;
}

export interface Acting extends ActorContext {
  role: Role;
}

/** Customers and back-office accounts: list, detail, disable/enable, role changes (issue 7, point 6). */
export function createCustomersService(deps: CustomersDeps) {
  const { users, clock } = deps;

  async function load(id: string): Promise<AdminUserDoc> {
    const oid = parseObjectId(id);
    const user = oid ? await users.findById(oid) : null;
    if (!user) throw new NotFoundError('No such user');
    return user;
  }

  /** Staff see customers; only admins see (and act on) staff and admin accounts. */
  function assertMayManage(actor: Acting, target: AdminUserDoc): void {
    if (target.role !== 'customer' && actor.role !== 'admin') throw new ForbiddenError('Only admins manage back-office accounts');
  }

  return {
    async list(input: UserListInput): Promise<UserList> {
      const total = await users.count(input.q, input.roles);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      const page = Math.min(Math.max(1, input.page), pages);
      const items = await users.list({ q: input.q, roles: input.roles, sort: input.sort, dir: input.dir, skip: (page - 1) * PER_PAGE, limit: PER_PAGE });
      return { items, total, page, pages };
    },

    async detail(actor: Acting, id: string): Promise<{ user: AdminUserDoc; orders: PlacedOrder[] }> {
      const user = await load(id);
      assertMayManage(actor, user);
      return { user, orders: await deps.orders.forUser(user._id, 50) };
    },

    /** A disabled account cannot sign in and its sessions end at once. */
    async setDisabled(actor: Acting, id: string, disabled: boolean): Promise<void> {
      const user = await load(id);
      assertMayManage(actor, user);
      if (user._id.toHexString() === actor.id) throw new ValidationError([{ field: '_form', messageKey: 'admin.customers.notSelf' }]);
      if (disabled && user.role === 'admin' && (await users.countActiveAdmins()) <= 1) {
        throw new ValidationError([{ field: '_form', messageKey: 'admin.customers.lastAdmin' }]);
      }
      if (!(await users.setDisabled(user._id, disabled, clock()))) return; // already so: nothing changed, nothing to record
      if (disabled) await deps.sessions.endUserSessions(user._id.toHexString());
      await deps.audit.record({
        actor, action: disabled ? 'user.disable' : 'user.enable', entity: { type: 'user', id },
        before: { disabled: !disabled }, after: { disabled }, ip: actor.ip,
      });
    },

    /** Admins only; the last admin who can sign in cannot lose the role. */
    async changeRole(actor: Acting, id: string, role: string): Promise<void> {
      if (actor.role !== 'admin') throw new ForbiddenError('Only admins change roles');
      const to = ROLES.find((r) => r === role);
      if (!to) throw new ValidationError([{ field: 'role', messageKey: 'admin.customers.invalidRole' }]);
      const user = await load(id);
      if (user.role === to) return;
      const demotesActiveAdmin = user.role === 'admin' && user.disabledAt === undefined;
      if (demotesActiveAdmin && (await users.countActiveAdmins()) <= 1) {
        throw new ValidationError([{ field: 'role', messageKey: 'admin.customers.lastAdmin' }]);
      }
      if (!(await users.setRole(user._id, user.role, to, clock()))) throw new ConflictError('Role changed meanwhile');
      // Two admins demoting each other at the same moment: undo ours if no admin is left.
      if (demotesActiveAdmin && (await users.countActiveAdmins()) === 0) {
        await users.setRole(user._id, to, user.role, clock());
        throw new ValidationError([{ field: 'role', messageKey: 'admin.customers.lastAdmin' }]);
      }
      await deps.audit.record({ actor, action: 'user.role', entity: { type: 'user', id }, before: { role: user.role }, after: { role: to }, ip: actor.ip });
    },
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
