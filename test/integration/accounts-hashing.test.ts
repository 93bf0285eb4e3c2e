import argon2 from 'argon2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HASH_PARAMS } from '../../src/modules/accounts/passwords.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOOD_PASSWORD, login, uniqueEmail } from './accounts-fixtures.js';

/**
 * Password hashes over time: a hash made with older (weaker) argon2id parameters is replaced at the
 * next successful sign-in, and an unknown email costs one argon2 verification, like a wrong password.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const WEAK = { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 } as const;

/** The m, t and p of a PHC-format argon2id hash (whatever order the library writes them in). */
function paramsOf(hash: string): { m: number; t: number; p: number } {
  const match = /^\$argon2id\$v=19\$([^$]+)\$[^$]+\$[^$]+$/.exec(hash);
  if (!match?.[1]) throw new Error(`Not an argon2id v19 hash: ${hash}`);
  const params = Object.fromEntries(match[1].split(',').map((kv) => kv.split('=') as [string, string]));
  return { m: Number(params.m), t: Number(params.t), p: Number(params.p) };
}

const CURRENT = { m: HASH_PARAMS.memoryCost, t: HASH_PARAMS.timeCost, p: HASH_PARAMS.parallelism };

/** A customer whose stored hash was made with the weak parameters (as an older release would have). */
async function weakHashUser(prefix: string): Promise<{ email: string; weakHash: string }> {
  const email = uniqueEmail(prefix);
  await t.services.accounts.register({ email, password: GOOD_PASSWORD, name: 'Old Hash', locale: 'en' });
  const weakHash = await argon2.hash(GOOD_PASSWORD, WEAK);
  await t.db.collection('users').updateOne({ email }, { $set: { passwordHash: weakHash } });
  return { email, weakHash };
}

const storedHash = async (email: string): Promise<string> => String((await t.db.collection('users').findOne({ email }))?.passwordHash);

describe('re-hashing at sign-in', () => {
  it('replaces a hash made with older parameters by one with the current ones, and the password still works', async () => {
    const { email, weakHash } = await weakHashUser('rehash');
    expect(paramsOf(await storedHash(email))).toEqual({ m: 4096, t: 1, p: 1 });

    const agent = new TestAgent(t.app);
    const res = await login(agent, email, GOOD_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/account');
    expect((await agent.get('/account')).status).toBe(200);

    const upgraded = await storedHash(email);
    expect(upgraded).not.toBe(weakHash);
    expect(paramsOf(upgraded)).toEqual(CURRENT);
    expect(upgraded.startsWith('$argon2id$v=19$')).toBe(true);
    expect(await argon2.verify(upgraded, GOOD_PASSWORD)).toBe(true);

    // Signs in again with the new hash, which is current now and so is left as it is.
    const again = new TestAgent(t.app);
    expect((await login(again, email, GOOD_PASSWORD)).status).toBe(303);
    expect((await again.get('/account')).status).toBe(200);
    expect(await storedHash(email)).toBe(upgraded);
  });

  it('does not touch the old hash on a wrong password (only a proved password is re-hashed)', async () => {
    const { email, weakHash } = await weakHashUser('rehash-wrong');
    expect((await login(new TestAgent(t.app), email, 'not the password at all')).status).toBe(401);
    expect(await storedHash(email)).toBe(weakHash);
  });
});

describe('an unknown email costs one argon2 verification, like a wrong password', () => {
  it('verifies once, against a hash with the current parameters, for a wrong password and for an unknown email', async () => {
    const email = uniqueEmail('known');
    await t.services.accounts.register({ email, password: GOOD_PASSWORD, name: 'Known', locale: 'en' });
    // Warm the hasher's dummy hash, so that only the sign-in's own work is counted below.
    await login(new TestAgent(t.app), uniqueEmail('warm-up'), 'wrong password here');

    const verify = vi.spyOn(argon2, 'verify');
    const hash = vi.spyOn(argon2, 'hash');

    const wrong = await login(new TestAgent(t.app), email, 'wrong password here');
    expect(wrong.status).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(paramsOf(String(verify.mock.calls[0]?.[0]))).toEqual(CURRENT);
    expect(verify.mock.calls[0]?.[1]).toBe('wrong password here');

    verify.mockClear();
    const unknown = await login(new TestAgent(t.app), uniqueEmail('nobody'), 'wrong password here');
    expect(unknown.status).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
    // The dummy hash has the same parameters as a real user's, so the work is the same.
    expect(paramsOf(String(verify.mock.calls[0]?.[0]))).toEqual(CURRENT);
    expect(verify.mock.calls[0]?.[1]).toBe('wrong password here');
    // And no extra hashing on either path (the dummy is made once per process, not per attempt).
    expect(hash).not.toHaveBeenCalled();
  });
});
