import { describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createLoginThrottle, throttleKeys } from '../../src/modules/accounts/throttle.js';
import { errorText, GOOD_PASSWORD, login, register, twoAppsOnOneDb, uniqueEmail } from './accounts-fixtures.js';

/** Two app instances on one database, as two processes behind a load balancer would be. */
const pair = twoAppsOnOneDb();

/** One clock for both processes. */
function advance(ms: number): void {
  pair.a.clock.advance(ms);
}

describe('login throttling across app instances', () => {
  it('slows down, then locks an account after 10 failures spread over both instances, and emails the owner', async () => {
    const email = uniqueEmail('locked');
    await register(new TestAgent(pair.a.app), { email });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await login(new TestAgent(i % 2 === 0 ? pair.a.app : pair.b.app), email, `wrong password ${i}`);
      statuses.push(res.status);
      advance(31_000); // past the longest growing delay (30 s)
    }
    expect(statuses).toEqual(Array(10).fill(401));

    // Locked now, on both instances, even with the right password; translated 429 with Retry-After.
    for (const app of [pair.a.app, pair.b.app]) {
      const res = await login(new TestAgent(app, { 'accept-language': 'pt-BR' }), email, GOOD_PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorText(res)).toContain('pausado');
    }
    const mails = await pair.testDb.database.db.collection('outbox').find({ to: email, template: 'account-locked' }).toArray();
    expect(mails).toHaveLength(1);

    // After the lock, the right password works again.
    advance(15 * 60_000);
    expect((await login(new TestAgent(pair.b.app), email, GOOD_PASSWORD)).status).toBe(303);
  });

  it('asks for a growing delay after 3 failures, seen by the other instance', async () => {
    const email = uniqueEmail('slow');
    await register(new TestAgent(pair.a.app), { email });
    for (let i = 0; i < 3; i++) expect((await login(new TestAgent(pair.a.app), email, 'wrong password!')).status).toBe(401);
    const early = await login(new TestAgent(pair.b.app), email, GOOD_PASSWORD);
    expect(early.status).toBe(429);
    expect(errorText(early)).toContain('wait 1 seconds');
    advance(1_100);
    expect((await login(new TestAgent(pair.b.app), email, 'wrong password!')).status).toBe(401);
    const next = await login(new TestAgent(pair.a.app), email, GOOD_PASSWORD);
    expect(next.status).toBe(429);
    expect(next.headers['retry-after']).toBe('2');
    advance(2_100);
    // A success clears the account's count.
    expect((await login(new TestAgent(pair.a.app), email, GOOD_PASSWORD)).status).toBe(303);
    expect((await login(new TestAgent(pair.b.app), email, 'wrong password!')).status).toBe(401);
  });

  it('locks unknown emails the same way (no account enumeration through the lock)', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 10; i++) {
      await login(new TestAgent(i % 2 ? pair.a.app : pair.b.app), email, 'whatever it is');
      advance(31_000);
    }
    expect((await login(new TestAgent(pair.a.app), email, 'whatever it is')).status).toBe(429);
    expect(await pair.testDb.database.db.collection('outbox').countDocuments({ to: email })).toBe(0);
  });
});

describe('the throttle count (one atomic update per key)', () => {
  it('starts a new window after windowMs, not while a lock runs, and reports the lock once', async () => {
    const throttle = createLoginThrottle(pair.testDb.database.db, {
      windowMs: 1_000,
      lockMs: 5_000,
      maxDelayMs: 0,
      account: { free: 100, lockAfter: 3 },
      ip: { free: 100, lockAfter: 1_000 },
    });
    const keys = throttleKeys(uniqueEmail('window'), '203.0.113.7');
    // Far in the future, so that the TTL index leaves the documents alone during the test.
    const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
    const fail = async (ms: number) => (await throttle.recordFailure(keys, at(ms))).accountLocked;

    expect([await fail(0), await fail(100)]).toEqual([false, false]);
    // The window ended: counting starts over, so two more failures do not lock yet.
    expect([await fail(1_200), await fail(1_300)]).toEqual([false, false]);
    expect(await fail(1_400)).toBe(true);
    expect(await throttle.check(keys, at(1_500))).toEqual({ until: at(6_400), locked: true });
    // After its window, while the lock runs: counted on, not reset, and not locked (nor emailed) again.
    expect(await fail(3_000)).toBe(false);
    expect(await throttle.check(keys, at(3_100))).toEqual({ until: at(6_400), locked: true });
    // The lock is over: the next failures open a new window and can lock again.
    expect(await throttle.check(keys, at(6_500))).toBeUndefined();
    expect([await fail(6_600), await fail(6_700), await fail(6_800)]).toEqual([false, false, true]);
  });
});
