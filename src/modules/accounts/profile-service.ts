import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { validateAddress, type Address, type AddressInput } from './addresses.js';
import { checkEmail, checkName, normalizeEmail } from './auth-service.js';
import { checkNewPassword } from './passwords.js';
import type { UserDocument } from './repository.js';
import { toCurrentUser, type AccountsServiceDeps, type CurrentUser, type OrderSummary } from './types.js';

/** The signed-in user's own data: profile, password, address book, orders, deletion. */

export interface AddressBook {
  addresses: Address[];
  defaultShippingId: string | null;
  defaultBillingId: string | null;
}

export interface AddressDefaults {
  defaultShipping: boolean;
  defaultBilling: boolean;
}

const wrongPassword = (field: string) => new ValidationError([{ field, messageKey: 'accounts.password.wrong' }]);

export function createProfileService(deps: AccountsServiceDeps) {
  const { repository, hasher, clock } = deps;

  async function load(userId: string): Promise<UserDocument> {
    const user = /^[0-9a-f]{24}$/.test(userId) ? await repository.findById(new ObjectId(userId)) : null;
    if (!user) throw new NotFoundError('No such user');
    return user;
  }

  async function confirmPassword(user: UserDocument, password: string, field: string): Promise<void> {
    if (!(await hasher.verify(user.passwordHash, password))) throw wrongPassword(field);
  }

  async function saveBook(user: UserDocument, book: AddressBook): Promise<void> {
    // Optimistic: a concurrent edit (another tab) makes this one fail rather than silently lose data.
    if (!(await repository.replaceAddresses(user, book, clock()))) throw new ConflictError('Address book changed meanwhile');
  }

  return {
    async getProfile(userId: string): Promise<CurrentUser> {
      return toCurrentUser(await load(userId));
    },

    async updateProfile(userId: string, input: { name: string; locale: Locale }): Promise<void> {
      const name = input.name.trim();
      const errors = checkName(name);
      if (errors.length > 0) throw new ValidationError(errors);
      await repository.update((await load(userId))._id, { name, locale: input.locale }, clock());
    },

    async changeEmail(userId: string, input: { email: string; password: string }): Promise<void> {
      const user = await load(userId);
      const email = normalizeEmail(input.email);
      const errors = checkEmail(email);
      if (errors.length > 0) throw new ValidationError(errors);
      await confirmPassword(user, input.password, 'emailPassword');
      if (email === user.email) return;
      const result = await repository.update(user._id, { email }, clock());
      if (result === 'duplicate') throw new ValidationError([{ field: 'email', messageKey: 'accounts.email.taken' }]);
    },

    /** Keeps `currentSessionId` signed in and ends the user's other sessions. */
    async changePassword(userId: string, input: { current: string; password: string }, currentSessionId: string): Promise<void> {
      const user = await load(userId);
      // A create-admin account proves itself with its one-time password like any other.
      await confirmPassword(user, input.current, 'currentPassword');
      const errors = checkNewPassword(input.password, user.email);
      if (errors.length > 0) throw new ValidationError(errors);
      await repository.update(user._id, { passwordHash: await hasher.hash(input.password), mustChangePassword: false }, clock());
      await deps.sessions.endUserSessions(userId, currentSessionId);
      await deps.mail.send({ to: user.email, template: 'password-changed', locale: user.locale ?? 'en', data: { name: user.name } });
    },

    async addressBook(userId: string): Promise<AddressBook> {
      const { addresses, defaultShippingId, defaultBillingId } = await load(userId);
      return { addresses, defaultShippingId, defaultBillingId };
    },

    async saveAddress(userId: string, addressId: string | null, input: AddressInput, defaults: AddressDefaults): Promise<string> {
      const user = await load(userId);
      const checked = validateAddress(input);
      if ('errors' in checked) throw new ValidationError(checked.errors);
      if (addressId !== null && !user.addresses.some((a) => a.id === addressId)) throw new NotFoundError('No such address');
      if (addressId === null && user.addresses.length >= 20) {
        throw new ValidationError([{ field: 'fullName', messageKey: 'accounts.address.tooMany', params: { max: 20 } }]);
      }
      const id = addressId ?? randomBytes(8).toString('hex');
      const address: Address = { id, ...checked.address };
      const addresses = addressId === null ? [...user.addresses, address] : user.addresses.map((a) => (a.id === id ? address : a));
      // The first address becomes the default for both, so checkout always has one.
      const first = user.addresses.length === 0;
      await saveBook(user, {
        addresses,
        defaultShippingId: defaults.defaultShipping || first ? id : user.defaultShippingId,
        defaultBillingId: defaults.defaultBilling || first ? id : user.defaultBillingId,
      });
      return id;
    },

    async deleteAddress(userId: string, addressId: string): Promise<void> {
      const user = await load(userId);
      if (!user.addresses.some((a) => a.id === addressId)) throw new NotFoundError('No such address');
      const addresses = user.addresses.filter((a) => a.id !== addressId);
      // A removed default passes to the first remaining address (or none).
      const fallback = addresses[0]?.id ?? null;
      await saveBook(user, {
        addresses,
        defaultShippingId: user.defaultShippingId === addressId ? fallback : user.defaultShippingId,
        defaultBillingId: user.defaultBillingId === addressId ? fallback : user.defaultBillingId,
      });
    },

    async setDefaultAddress(userId: string, addressId: string, kind: 'shipping' | 'billing'): Promise<void> {
      const user = await load(userId);
      if (!user.addresses.some((a) => a.id === addressId)) throw new NotFoundError('No such address');
      const { addresses, defaultShippingId, defaultBillingId } = user;
      await saveBook(user, {
        addresses,
        defaultShippingId: kind === 'shipping' ? addressId : defaultShippingId,
        defaultBillingId: kind === 'billing' ? addressId : defaultBillingId,
      });
    },

    async orders(userId: string): Promise<OrderSummary[]> {
      const user = await load(userId);
      return deps.orders ? deps.orders.listForUser(user._id) : [];
    },

    async order(userId: string, orderId: string): Promise<OrderSummary> {
      const user = await load(userId);
      const order = deps.orders ? await deps.orders.findForUser(user._id, orderId) : null;
      if (!order) throw new NotFoundError('No such order');
      return order;
    },

    /** Personal data anonymised, sessions and tokens gone; orders stay (anonymised) for accounting. */
    async deleteAccount(userId: string, password: string): Promise<void> {
      const user = await load(userId);
      await confirmPassword(user, password, 'deletePassword');
      await deps.orders?.anonymiseCustomer(user._id);
      await repository.anonymise(user._id, clock());
      await repository.deleteResetTokens(user._id);
      await deps.throttle.clearAccount(user.email);
      await deps.sessions.endUserSessions(userId);
      deps.log?.('account deleted', { userId });
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
