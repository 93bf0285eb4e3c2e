import { ObjectId, type Db, type Filter } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { USERS_COLLECTION, type Role, type UserDocument } from '../accounts/repository.js';

/**
 * The back office's reads and writes on the accounts module's `users` collection (list, disable,
 * role). Kept here until the accounts repository offers them (requested in /work/briefs/REQUESTS.md);
 * `disabledAt` is the one field this adds to a user.
 */
export type AdminUserDoc = Pick<UserDocument, '_id' | 'email' | 'name' | 'role' | 'createdAt' | 'locale'> & { disabledAt?: Date };

export const USER_SORTS = ['createdAt', 'email', 'name'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface UserListQuery {
  q: string;
  roles: readonly Role[];
  sort: UserSort;
  dir: 1 | -1;
  skip: number;
  limit: number;
}

export const adminUserIndexes: readonly IndexDeclaration[] = [
  { collection: USERS_COLLECTION, key: { role: 1, createdAt: -1 }, options: { name: 'role_createdAt' } },
];

const PROJECTION = { email: 1, name: 1, role: 1, createdAt: 1, locale: 1, disabledAt: 1 } as const;
const active = { deletedAt: { $exists: false } };

function escapeRegex(text: string): string {
  // A NUL byte is refused inside a regex by MongoDB (error 51091 → 500): written as the escape \x00 instead.
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

export function userListFilter(q: string, roles: readonly Role[]): Filter<UserDocument> {
  const filter: Filter<UserDocument> = { ...active, role: { $in: [...roles] } };
  const text = q.trim();
  if (text !== '') {
    const pattern = escapeRegex(text);
    // Email is stored lower-case: an anchored prefix match can use the unique index.
    filter.$or = [{ email: { $regex: `^${escapeRegex(text.toLowerCase())}` } }, { name: { $regex: pattern, $options: 'i' } }];
  }
  return filter;
}

export function createAdminUsersRepository(db: Db) {
  const users = db.collection<UserDocument & { disabledAt?: Date }>(USERS_COLLECTION);
  return {
    async list(query: UserListQuery): Promise<AdminUserDoc[]> {
      return users
        .find(userListFilter(query.q, query.roles), { projection: PROJECTION })
        .sort({ [query.sort]: query.dir, _id: query.dir })
        .skip(query.skip)
        .limit(query.limit)
        .toArray() as Promise<AdminUserDoc[]>;
    },
    count(q: string, roles: readonly Role[]): Promise<number> {
      return users.countDocuments(userListFilter(q, roles));
    },
    findById(id: ObjectId): Promise<AdminUserDoc | null> {
      return users.findOne({ _id: id, ...active }, { projection: PROJECTION }) as Promise<AdminUserDoc | null>;
    },
    async passwordHashOf(id: ObjectId): Promise<string | null> {
      const doc = await users.findOne({ _id: id, ...active }, { projection: { passwordHash: 1 } });
      return doc?.passwordHash ?? null;
    },
    /** Sets or clears disabledAt; false when the user is missing or already in that state. */
    async setDisabled(id: ObjectId, disabled: boolean, now: Date): Promise<boolean> {
      const r = disabled
        ? await users.updateOne({ _id: id, ...active, disabledAt: { $exists: false } }, { $set: { disabledAt: now, updatedAt: now } })
        : await users.updateOne({ _id: id, ...active, disabledAt: { $exists: true } }, { $unset: { disabledAt: '' }, $set: { updatedAt: now } });
      return r.modifiedCount === 1;
    },
    /** Changes the role only if it is still `from` (two admins editing at once cannot both win). */
    async setRole(id: ObjectId, from: Role, to: Role, now: Date): Promise<boolean> {
      const r = await users.updateOne({ _id: id, ...active, role: from }, { $set: { role: to, updatedAt: now } });
      return r.modifiedCount === 1;
    },
    /** Admins who can still sign in. */
    countActiveAdmins(): Promise<number> {
      return users.countDocuments({ ...active, role: 'admin', disabledAt: { $exists: false } });
    },
    async loginFlags(id: ObjectId): Promise<{ disabled: boolean; role: Role } | null> {
      const doc = await users.findOne({ _id: id, ...active }, { projection: { role: 1, disabledAt: 1 } });
      return doc ? { disabled: doc.disabledAt !== undefined, role: doc.role } : null;
    },
  };
}

export type AdminUsersRepository = ReturnType<typeof createAdminUsersRepository>;

export function parseObjectId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/.test(id) ? new ObjectId(id) : null;
}
