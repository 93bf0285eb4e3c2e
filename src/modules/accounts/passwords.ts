import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import type { FieldError } from '../../lib/errors.js';
import { projectRoot } from '../../paths.js';
import { sharedHashLimit, type Limit } from './hash-limit.js';

/**
 * Password rules and hashing. argon2id at OWASP's parameters (19 MiB, t=2, p=1); the argon2 package
 * hashes in libuv's thread pool, so a flood of logins does not block the event loop, and hash-limit.ts
 * gives it a budget of CPU time (on 2 cores, half of one), so that a flood of logins slows the logins,
 * not the pages.
 */
export interface HashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const HASH_PARAMS: HashParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant work whether or not `hash` is null (a dummy hash is verified instead). */
  verify(hash: string | null, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
}

export function createPasswordHasher(params: HashParams = HASH_PARAMS, limit: Limit = sharedHashLimit): PasswordHasher {
  const options = { type: argon2.argon2id, ...params } as const;
  const hash = (password: string) => limit(() => argon2.hash(password, options));
  // Verified for unknown emails so that they cost the same time as a wrong password.
  let dummy: Promise<string> | undefined;
  return {
    hash,
    async verify(stored, password) {
      if (stored === null) {
        dummy ??= hash('dummy password for timing');
        const dummyHash = await dummy;
        await limit(() => argon2.verify(dummyHash, password));
        return false;
      }
      try {
        return await limit(() => argon2.verify(stored, password));
      } catch {
        return false; // a corrupt stored hash is a failed login, not a 500
      }
    },
    needsRehash: (hash) => !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, params),
  };
}

let common: Set<string> | undefined;

/** The 10,000 most common passwords, lowercase, loaded once (data/NOTICE.md says where the list comes from). */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    // From the project root, so that dist/ (npm start) reads the same file as src/ (tsx).
    readFileSync(join(projectRoot, 'src/modules/accounts/data/common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0),
  );
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** Field errors for a new password (empty when acceptable). */
export function checkNewPassword(password: string, email: string, field = 'password'): FieldError[] {
  // Length in code points, so that an emoji counts as one character, as the user sees it.
  const length = [...password].length;
  if (length < PASSWORD_MIN) return [{ field, messageKey: 'accounts.password.tooShort', params: { min: PASSWORD_MIN } }];
  if (length > PASSWORD_MAX) return [{ field, messageKey: 'accounts.password.tooLong', params: { max: PASSWORD_MAX } }];
  if (isCommonPassword(password)) return [{ field, messageKey: 'accounts.password.common' }];
  const lower = password.toLowerCase();
  const mail = email.trim().toLowerCase();
  if (mail !== '' && (lower === mail || lower === mail.split('@')[0])) {
    return [{ field, messageKey: 'accounts.password.isEmail' }];
  }
  return [];
}
