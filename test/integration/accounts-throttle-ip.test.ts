import { describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../src/modules/accounts/throttle.js';
import { TestAgent } from '../helpers/agent.js';
import { errorText, GOOD_PASSWORD, login, twoAppsOnOneDb, uniqueEmail, type ClockedApp } from './accounts-fixtures.js';

/**
 * The per-IP half of login throttling: one address guessing across many emails (credential stuffing)
 * is slowed down however many accounts it spreads the guesses over, on every app instance, while
 * other addresses are not affected. Two instances on one database, as in accounts-throttle.test.ts.
 */
const pair = twoAppsOnOneDb();

const FREE = DEFAULT_THROTTLE.ip.free;
const ATTACKER = '198.51.100.23';
const NEIGHBOUR = '203.0.113.80';

const from = (app: ClockedApp, ip: string): TestAgent => new TestAgent(app.app, {}, { remoteAddress: ip });

describe('per-IP login throttling across app instances', () => {
  it(`answers 429 to an IP after ${FREE} failures over as many emails, while another IP still signs in`, async () => {
    // Guards the premise: each email fails fewer times than the account rule allows for free.
    expect(DEFAULT_THROTTLE.account.free).toBeGreaterThan(1);
    const victim = uniqueEmail('victim');
    await pair.a.services.accounts.register({ email: victim, password: GOOD_PASSWORD, name: 'Victim', locale: 'en' });
    const other = uniqueEmail('other');
    await pair.a.services.accounts.register({ email: other, password: GOOD_PASSWORD, name: 'Other', locale: 'en' });

    // One failure per email (some known, most unknown), alternating between the two instances.
    const statuses: number[] = [];
    for (let i = 0; i < FREE; i++) {
      const email = i === 0 ? victim : uniqueEmail(`stuffing-${i}`);
      statuses.push((await login(from(i % 2 === 0 ? pair.a : pair.b, ATTACKER), email, `guess number ${i}`)).status);
    }
    expect(statuses).toEqual(Array(FREE).fill(401));

    // The next attempt from that IP is refused on both instances, even for a fresh email with the
    // right password: the IP is throttled, not the accounts.
    for (const app of [pair.a, pair.b]) {
      const agent = from(app, ATTACKER);
      const res = await login(agent, other, GOOD_PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorText(res)).toContain('wait 1 seconds');
      expect((await agent.get('/account')).location).toBe('/login?next=%2Faccount');
    }
    const refused = await login(from(pair.a, ATTACKER), uniqueEmail('unknown'), 'another guess');
    expect(refused.status).toBe(429);

    // Another address signs in to both accounts, the one that was guessed at included.
    for (const [app, email] of [[pair.a, victim], [pair.b, other]] as const) {
      const agent = from(app, NEIGHBOUR);
      const res = await login(agent, email, GOOD_PASSWORD);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/account');
      expect((await agent.get('/account')).status).toBe(200);
    }

    // A refused attempt is not counted: once the delay has passed the IP may try again (and a
    // success from the neighbour cleared nothing of the attacker's count: it must wait again after).
    pair.a.clock.advance(1_100);
    const retried = from(pair.b, ATTACKER);
    expect((await login(retried, other, GOOD_PASSWORD)).status).toBe(303);
    expect((await login(from(pair.a, ATTACKER), uniqueEmail('more'), 'guess again')).status).toBe(401);
    const slower = await login(from(pair.a, ATTACKER), other, GOOD_PASSWORD);
    expect(slower.status).toBe(429);
    expect(slower.headers['retry-after']).toBe('2');
  });
});
