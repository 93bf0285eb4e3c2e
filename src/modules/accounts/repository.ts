import { MongoServerError, ObjectId, type Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { Locale } from '../../i18n/locales.js';
import type { Address } from './addresses.js';

/** Users and their address books (embedded: a handful per user, always read with the user). */
export const USERS_COLLECTION = 'users';
export const PASSWORD_RESETS_COLLECTION = 'password_resets';

export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UserDocument {
  _id: ObjectId;
  /** Normalised (trimmed, lower-case); unique. A deleted account gets a placeholder. */
  email: string;
  name: string;
  /** null once the account is deleted. */
  passwordHash: string | null;
  role: Role;
  locale: Locale | null;
  addresses: Address[];
  defaultShippingId: string | null;
  defaultBillingId: string | null;
  /** Set by `create-admin`: the printed one-time password must be replaced at first login. */
  mustChangePassword: boolean;
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date;
  /** Set by the back office (src/modules/admin/users-repository.ts): the account cannot sign in. */
  disabledAt?: Date;
}

/** One pending reset per user (_id = user id): a newer request replaces the older token. */
export interface PasswordResetDocument {
  _id: ObjectId;
  tokenHash: string;
  expiresAt: Date;
  createdAt: Date;
}

export const accountsIndexes: readonly IndexDeclaration[] = [
  { collection: USERS_COLLECTION, key: { email: 1 }, options: { name: 'email_unique', unique: true } },
  { collection: PASSWORD_RESETS_COLLECTION, key: { tokenHash: 1 }, options: { name: 'tokenHash_unique', unique: true } },
  { collection: PASSWORD_RESETS_COLLECTION, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } },
];

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

export type NewUser = Omit<UserDocument, '_id'>;

export function createAccountsRepository(db: Db) {
  const users = db.collection<UserDocument>(USERS_COLLECTION);
  const resets = db.collection<PasswordResetDocument>(PASSWORD_RESETS_COLLECTION);
  const active = { deletedAt: { $exists: false } };

  return {
    /** 'duplicate' when the email is taken (the unique index decides, so concurrent sign-ups are safe). */
    async insertUser(user: NewUser): Promise<UserDocument | 'duplicate'> {
      const doc: UserDocument = { _id: new ObjectId(), ...user };
      try {
        await users.insertOne(doc);
        return doc;
      } catch (error) {
        if (isDuplicateKey(error)) return 'duplicate';
        throw error;
      }
    },
    findById(id: ObjectId): Promise<UserDocument | null> {
      return users.findOne({ _id: id, ...active });
    },
    findByEmail(email: string): Promise<UserDocument | null> {
      return users.findOne({ email, ...active });
    },
    async update(id: ObjectId, set: Partial<Omit<UserDocument, '_id'>>, now: Date): Promise<'ok' | 'duplicate' | 'missing'> {
      try {
        const result = await users.updateOne({ _id: id, ...active }, { $set: { ...set, updatedAt: now } });
        return result.matchedCount === 1 ? 'ok' : 'missing';
      } catch (error) {
        if (isDuplicateKey(error)) return 'duplicate';
        throw error;
      }
    },
    /** Optimistic write of the address book: fails ('conflict') when it changed since `before`. */
    async replaceAddresses(
      user: Pick<UserDocument, '_id' | 'updatedAt'>,
      set: Pick<UserDocument, 'addresses' | 'defaultShippingId' | 'defaultBillingId'>,
      now: Date,
    ): Promise<boolean> {
      const result = await users.updateOne({ _id: user._id, updatedAt: user.updatedAt, ...active }, { $set: { ...set, updatedAt: now } });
      return result.matchedCount === 1;
    },
    /** For `create-admin`: create with the given fields, or promote the existing account. */
    async upsertAdmin(email: string, passwordHash: string, now: Date): Promise<'created' | 'promoted'> {
      const result = await users.updateOne(
        { email },
        {
          $set: { role: 'admin', passwordHash, mustChangePassword: true, updatedAt: now },
          $setOnInsert: { name: '', locale: null, addresses: [], defaultShippingId: null, defaultBillingId: null, createdAt: now },
          $unset: { deletedAt: '' },
        },
        { upsert: true },
      );
      return result.upsertedCount === 1 ? 'created' : 'promoted';
    },
    /** Personal data replaced by placeholders; the document stays so orders keep a valid reference. */
    async anonymise(id: ObjectId, now: Date): Promise<boolean> {
      const result = await users.updateOne(
        { _id: id, ...active },
        {
          $set: {
            email: `deleted-${id.toHexString()}@invalid`,
            name: '',
            passwordHash: null,
            locale: null,
            addresses: [],
            defaultShippingId: null,
            defaultBillingId: null,
            mustChangePassword: false,
            deletedAt: now,
            updatedAt: now,
          },
        },
      );
      return result.modifiedCount === 1;
    },

    async saveResetToken(userId: ObjectId, tokenHash: string, expiresAt: Date, now: Date): Promise<void> {
      await resets.replaceOne({ _id: userId }, { tokenHash, expiresAt, createdAt: now }, { upsert: true });
    },
    findResetToken(tokenHash: string, now: Date): Promise<PasswordResetDocument | null> {
      return resets.findOne({ tokenHash, expiresAt: { $gt: now } });
    },
    /** Atomically takes a valid token: of two concurrent uses, only one gets it. */
    consumeResetToken(tokenHash: string, now: Date): Promise<PasswordResetDocument | null> {
      return resets.findOneAndDelete({ tokenHash, expiresAt: { $gt: now } });
    },
    async deleteResetTokens(userId: ObjectId): Promise<void> {
      await resets.deleteMany({ _id: userId });
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
