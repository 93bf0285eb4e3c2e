import { createHash, randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { checkNewPassword } from './passwords.js';
import type { UserDocument } from './repository.js';
import { throttleKeys } from './throttle.js';
import { RESET_TOKEN_TTL_MS, toCurrentUser, type AccountsServiceDeps, type CurrentUser } from './types.js';

/** Sign-up, sign-in, password reset: the rules of issue 5, without request or reply. */

const EMAIL_MAX = 254;
const NAME_MAX = 100;
// Deliberately loose (one @, a dot in the domain, no spaces): the reset email is the real check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(email: string, field = 'email'): FieldError[] {
  if (email === '') return [{ field, messageKey: 'accounts.field.required' }];
  if (email.length > EMAIL_MAX) return [{ field, messageKey: 'accounts.field.tooLong', params: { max: EMAIL_MAX } }];
  if (!EMAIL_PATTERN.test(email)) return [{ field, messageKey: 'accounts.email.invalid' }];
  return [];
}

export function checkName(name: string, field = 'name'): FieldError[] {
  if (name === '') return [{ field, messageKey: 'accounts.field.required' }];
  if ([...name].length > NAME_MAX) return [{ field, messageKey: 'accounts.field.tooLong', params: { max: NAME_MAX } }];
  return [];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  locale: Locale;
}

export type LoginResult =
  | { outcome: 'ok'; user: CurrentUser }
  | { outcome: 'invalid' }
  /** Right password, but the back office disabled the account (said only to who knows the password). */
  | { outcome: 'disabled' }
  | { outcome: 'throttled'; retryAfterMs: number; locked: boolean };

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  /** Base URL for links in the lock email. */
  baseUrl: string;
}

export function createAuthService(deps: AccountsServiceDeps) {
  const { repository, throttle, hasher, mail, clock } = deps;
  const log = deps.log ?? (() => undefined);
  /**
   * Mail that must not change the answer: a failing SMTP server must neither break a sign-up nor
   * reveal, through a 500, that an address has an account.
   */
  const sendQuietly = async (request: Parameters<typeof mail.send>[0]): Promise<void> => {
    try {
      await mail.send(request);
    } catch (error) {
      log('mail not sent', { template: request.template, error: error instanceof Error ? error.message : String(error) });
    }
  };

  async function setPassword(user: UserDocument, password: string): Promise<void> {
    const passwordHash = await hasher.hash(password);
    await repository.update(user._id, { passwordHash, mustChangePassword: false }, clock());
  }

  return {
    async register(input: RegisterInput): Promise<CurrentUser> {
      const email = normalizeEmail(input.email);
      const name = input.name.trim();
      const errors = [...checkName(name), ...checkEmail(email), ...checkNewPassword(input.password, email)];
      if (errors.length > 0) throw new ValidationError(errors);
      const now = clock();
      const created = await repository.insertUser({
        email,
        name,
        passwordHash: await hasher.hash(input.password),
        role: 'customer',
        locale: input.locale,
        addresses: [],
        defaultShippingId: null,
        defaultBillingId: null,
        mustChangePassword: false,
        createdAt: now,
        updatedAt: now,
      });
      if (created === 'duplicate') throw new ValidationError([{ field: 'email', messageKey: 'accounts.email.taken' }]);
      await sendQuietly({ to: email, template: 'welcome', locale: input.locale, data: { name } });
      return toCurrentUser(created);
    },

    /**
     * Same answer and comparable work for an unknown email and a wrong password. Throttled keys are
     * refused before any hashing, so a flood of guesses costs the server little.
     */
    async login(input: LoginInput): Promise<LoginResult> {
      const email = normalizeEmail(input.email);
      const keys = throttleKeys(email, input.ip);
      const now = clock();
      const blocked = await throttle.check(keys, now);
      if (blocked) return { outcome: 'throttled', retryAfterMs: blocked.until.getTime() - now.getTime(), locked: blocked.locked };

      const user = email.length <= EMAIL_MAX ? await repository.findByEmail(email) : null;
      const valid = await hasher.verify(user?.passwordHash ?? null, input.password);
      if (!user || !valid) {
        const { accountLocked } = await throttle.recordFailure(keys, now);
        if (accountLocked && user) {
          log('account locked after repeated failed logins', { userId: user._id.toHexString() });
          await sendQuietly({
            to: user.email,
            template: 'account-locked',
            locale: user.locale ?? 'en',
            data: { name: user.name, resetUrl: `${input.baseUrl}/forgot-password` },
          });
        }
        return { outcome: 'invalid' };
      }
      await throttle.clearAccount(email);
      if (user.disabledAt) return { outcome: 'disabled' };
      if (user.passwordHash !== null && hasher.needsRehash(user.passwordHash)) {
        await repository.update(user._id, { passwordHash: await hasher.hash(input.password) }, clock());
      }
      return { outcome: 'ok', user: toCurrentUser(user) };
    },

    /** The id of the live account with this email, or null (a back-office order is linked to it). */
    async findIdByEmail(rawEmail: string): Promise<string | null> {
      const email = normalizeEmail(rawEmail);
      if (email === '' || email.length > EMAIL_MAX) return null;
      const user = await repository.findByEmail(email);
      return user ? user._id.toHexString() : null;
    },

    async findUser(id: string): Promise<CurrentUser | null> {
      if (!/^[0-9a-f]{24}$/.test(id)) return null;
      const user = await repository.findById(new ObjectId(id));
      return user ? toCurrentUser(user) : null;
    },

    /** Always resolves the same way whether or not the account exists (the page says "if…"). */
    async requestPasswordReset(rawEmail: string, baseUrl: string): Promise<void> {
      const email = normalizeEmail(rawEmail);
      if (checkEmail(email).length > 0) return;
      const user = await repository.findByEmail(email);
      if (!user) return;
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      // One document per user: saving replaces (and so invalidates) any earlier token.
      await repository.saveResetToken(user._id, hashToken(token), new Date(now.getTime() + RESET_TOKEN_TTL_MS), now);
      await sendQuietly({
        to: user.email,
        template: 'password-reset',
        locale: user.locale ?? 'en',
        data: { name: user.name, resetUrl: `${baseUrl}/reset-password/${token}`, minutes: RESET_TOKEN_TTL_MS / 60_000 },
      });
    },

    async isResetTokenValid(token: string): Promise<boolean> {
      if (!/^[\w-]{43}$/.test(token)) return false;
      return (await repository.findResetToken(hashToken(token), clock())) !== null;
    },

    /**
     * Sets the new password when the token is valid (consuming it) and ends every session of the
     * user. 'invalid' when the token is unknown, used or expired.
     */
    async resetPassword(token: string, password: string): Promise<'ok' | 'invalid'> {
      if (!/^[\w-]{43}$/.test(token)) return 'invalid';
      const hash = hashToken(token);
      const pending = await repository.findResetToken(hash, clock());
      if (!pending) return 'invalid';
      const user = await repository.findById(pending._id);
      if (!user) return 'invalid';
      const errors = checkNewPassword(password, user.email);
      if (errors.length > 0) throw new ValidationError(errors);
      // Taken atomically only now, so that a rejected password does not burn the link.
      if (!(await repository.consumeResetToken(hash, clock()))) return 'invalid';
      await setPassword(user, password);
      await deps.sessions.endUserSessions(user._id.toHexString());
      await throttle.clearAccount(user.email);
      log('password reset', { userId: user._id.toHexString() });
      await sendQuietly({ to: user.email, template: 'password-changed', locale: user.locale ?? 'en', data: { name: user.name } });
      return 'ok';
    },

    /** `create-admin`: a random one-time password that must be changed at first login. */
    async createOrPromoteAdmin(rawEmail: string): Promise<{ outcome: 'created' | 'promoted'; password: string }> {
      const email = normalizeEmail(rawEmail);
      const errors = checkEmail(email);
      if (errors.length > 0) throw new ValidationError(errors, `Invalid email: ${rawEmail}`);
      const password = randomBytes(15).toString('base64url'); // 20 characters, 120 bits
      const outcome = await repository.upsertAdmin(email, await hasher.hash(password), clock());
      const user = await repository.findByEmail(email);
      if (user) await deps.sessions.endUserSessions(user._id.toHexString());
      return { outcome, password };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
