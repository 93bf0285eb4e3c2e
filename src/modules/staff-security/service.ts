import type { ObjectId } from 'mongodb';
import { ValidationError } from '../../lib/errors.js';
import type { PasswordHasher } from '../accounts/passwords.js';
import type { SessionRevoker } from '../accounts/types.js';
import type { AdminUsersRepository } from '../admin/users-repository.js';
import { parseObjectId } from '../admin/users-repository.js';
import type { AuditService } from '../audit/service.js';
import type { ActorContext } from '../audit/types.js';
import type { TwoFactorRepository } from './repository.js';
import { hashRecoveryCode, matchingStep, newRecoveryCodes, newTotpSecret, otpauthUri } from './totp.js';

export interface StaffSecurityDeps {
  twoFactor: TwoFactorRepository;
  users: Pick<AdminUsersRepository, 'passwordHashOf' | 'loginFlags'>;
  hasher: PasswordHasher;
  sessions: SessionRevoker;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  /** Shown in the authenticator app next to the account. */
  issuer: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** Enrolment started: the secret to type into the app and its URI. */
  pending: { secret: string; uri: string } | null;
  recoveryCodesLeft: number;
}

export type SecondFactor = 'totp' | 'recovery';

const wrongPassword = () => new ValidationError([{ field: 'password', messageKey: 'staff.password.wrong' }]);
const wrongCode = () => new ValidationError([{ field: 'code', messageKey: 'staff.twoFactor.invalidCode' }]);

function idOf(userId: string): ObjectId {
  const id = parseObjectId(userId);
  if (!id) throw new ValidationError([{ field: '_form', messageKey: 'staff.twoFactor.invalidCode' }], 'bad user id');
  return id;
}

/** Re-authentication ("sudo mode") and TOTP two-factor authentication with recovery codes. */
export function createStaffSecurityService(deps: StaffSecurityDeps) {
  const { twoFactor, users, hasher, clock } = deps;

  async function checkPassword(userId: string, password: string): Promise<boolean> {
    const id = parseObjectId(userId);
    const hash = id ? await users.passwordHashOf(id) : null;
    return hasher.verify(hash, password);
  }

  function newCodes(): { codes: string[]; hashes: string[] } {
    const codes = newRecoveryCodes();
    return { codes, hashes: codes.map(hashRecoveryCode) };
  }

  return {
    checkPassword,

    async status(userId: string, email: string): Promise<TwoFactorStatus> {
      const doc = await twoFactor.find(idOf(userId));
      const enabled = doc?.enabledAt != null && doc.secret !== null;
      const pending = !enabled && doc?.pendingSecret ? { secret: doc.pendingSecret, uri: otpauthUri(doc.pendingSecret, email, deps.issuer) } : null;
      return { enabled, pending, recoveryCodesLeft: enabled ? (doc?.recoveryHashes.length ?? 0) : 0 };
    },

    async isEnabled(userId: string): Promise<boolean> {
      const id = parseObjectId(userId);
      const doc = id ? await twoFactor.find(id) : null;
      return doc?.enabledAt != null && doc.secret !== null;
    },

    /** What the sign-in gate needs about a signed-in user id. */
    async loginState(userId: string): Promise<{ exists: boolean; disabled: boolean; twoFactor: boolean }> {
      const id = parseObjectId(userId);
      if (!id) return { exists: false, disabled: false, twoFactor: false };
      const [flags, doc] = await Promise.all([users.loginFlags(id), twoFactor.find(id)]);
      if (!flags) return { exists: false, disabled: false, twoFactor: false };
      return { exists: true, disabled: flags.disabled, twoFactor: doc?.enabledAt != null && doc.secret !== null };
    },

    async startEnrolment(userId: string): Promise<void> {
      await twoFactor.setPending(idOf(userId), newTotpSecret(), clock());
    },

    /** Checks the first code against the pending secret; on success returns the recovery codes (shown once). */
    async confirmEnrolment(actor: ActorContext, code: string, currentSessionId: string): Promise<string[]> {
      const id = idOf(actor.id);
      const doc = await twoFactor.find(id);
      const secret = doc?.pendingSecret;
      if (!secret) throw wrongCode();
      const step = matchingStep(secret, code, clock());
      if (step === null) throw wrongCode();
      const { codes, hashes } = newCodes();
      if (!(await twoFactor.enable(id, secret, step, hashes, clock()))) throw wrongCode();
      // Sessions signed in with the password alone end: from now on a sign-in needs the code.
      await deps.sessions.endUserSessions(actor.id, currentSessionId);
      await deps.audit.record({ actor, action: 'security.twoFactor.enable', entity: { type: 'user', id: actor.id }, before: { twoFactor: false }, after: { twoFactor: true }, ip: actor.ip });
      return codes;
    },

    async disable(actor: ActorContext, password: string): Promise<void> {
      if (!(await checkPassword(actor.id, password))) throw wrongPassword();
      if (await twoFactor.disable(idOf(actor.id))) {
        await deps.audit.record({ actor, action: 'security.twoFactor.disable', entity: { type: 'user', id: actor.id }, before: { twoFactor: true }, after: { twoFactor: false }, ip: actor.ip });
      }
    },

    async regenerateRecoveryCodes(actor: ActorContext, password: string): Promise<string[]> {
      if (!(await checkPassword(actor.id, password))) throw wrongPassword();
      const id = idOf(actor.id);
      const left = (await twoFactor.find(id))?.recoveryHashes.length ?? 0;
      const { codes, hashes } = newCodes();
      if (!(await twoFactor.replaceRecoveryCodes(id, hashes, clock()))) throw wrongPassword();
      // How many unused codes there were and are: never the codes themselves.
      await deps.audit.record({
        actor, action: 'security.recoveryCodes.regenerate', entity: { type: 'user', id: actor.id },
        before: { recoveryCodesLeft: left }, after: { recoveryCodesLeft: codes.length }, ip: actor.ip,
      });
      return codes;
    },

    /** A TOTP code (each time step once) or an unused recovery code (each once). */
    async verifySecondFactor(userId: string, code: string): Promise<SecondFactor | null> {
      const id = parseObjectId(userId);
      if (!id || code.length > 64) return null;
      const doc = await twoFactor.find(id);
      if (!doc?.secret || doc.enabledAt === null) return null;
      const now = clock();
      const step = matchingStep(doc.secret, code, now);
      if (step !== null) return (await twoFactor.useStep(id, step, now)) ? 'totp' : null;
      return (await twoFactor.useRecoveryCode(id, hashRecoveryCode(code), now)) ? 'recovery' : null;
    },
  };
}

export type StaffSecurityService = ReturnType<typeof createStaffSecurityService>;
