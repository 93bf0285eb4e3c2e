import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOVERY_CODE_COUNT, currentCode } from '../../src/modules/staff-security/totp.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signIn, signedInAgent, type TestUser } from './admin-fixtures.js';

/** A staff member regenerates their 2FA recovery codes on /admin/security (password required, shown once). */

const text = (page: Page, selector: string) => (page.html().querySelector(selector)?.text ?? '').replace(/\s+/g, ' ').trim();
const codesOn = (page: Page) => page.html().querySelectorAll('ol.recovery-codes li code').map((c) => c.text.trim());

describe('2FA recovery codes: regenerate', () => {
  let t: TestApp;
  let agent: TestAgent;
  let user: TestUser;
  let firstCodes: string[] = [];

  /** Password, then a recovery code on the second step: the status of the code step (303 = signed in). */
  async function signInWithRecoveryCode(code: string): Promise<{ status: number; agent: TestAgent }> {
    const other = new TestAgent(t.app);
    await signIn(other, user);
    const step = await other.get('/login/two-factor');
    expect(step.status).toBe(200);
    const res = await other.submitForm(step, 'form.two-factor-form', { code });
    return { status: res.status, agent: other };
  }

  const hashes = async () => (await t.db.collection<{ recoveryHashes: string[] }>('two_factor').findOne({}))?.recoveryHashes ?? [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent, user } = await signedInAgent(t, 'staff'));
    // Enrol through the real pages: start, type the secret's current code, read the first codes.
    await agent.submitForm(await agent.get('/admin/security'), 'form.start-form');
    const setup = await agent.get('/admin/security');
    const secret = text(setup, 'code.secret').replace(/\s/g, '');
    const confirmed = await agent.submitForm(setup, 'form.confirm-code-form', { code: currentCode(secret, new Date()) });
    expect(confirmed.location).toBe('/admin/security/recovery-codes');
    firstCodes = codesOn(await agent.follow(confirmed));
    expect(firstCodes).toHaveLength(RECOVERY_CODE_COUNT);
  });
  afterAll(async () => t?.close());

  it('refuses a regeneration without the CSRF token (403) or with a wrong password (422); the codes stay', async () => {
    const before = await hashes();
    const noToken = await agent.post('/admin/security/recovery-codes', { password: user.password });
    expect(noToken.status).toBe(403);
    const security = await agent.get('/admin/security');
    const wrong = await agent.submitForm(security, 'form.recovery-form', { password: 'not my password at all' });
    expect(wrong.status).toBe(422);
    expect(text(wrong, '#e-password')).toBe('That password is not correct.');
    expect(await hashes()).toEqual(before);
    expect(await t.db.collection('audit_log').countDocuments({ action: 'security.recoveryCodes.regenerate' })).toBe(0);
    // Nothing new is waiting to be shown.
    expect((await agent.get('/admin/security/recovery-codes')).location).toBe('/admin/security');
  });

  it('shows a new set once; the old codes no longer sign in, a new one does once; the action is audited', async () => {
    // One old code used before: the page counts what is left.
    expect((await signInWithRecoveryCode(firstCodes[0] ?? '')).status).toBe(303);
    const security = await agent.get('/admin/security');
    expect(text(security, '.actions-panel')).toContain(`${RECOVERY_CODE_COUNT - 1} recovery codes left.`);

    const regenerated = await agent.submitForm(security, 'form.recovery-form', { password: user.password });
    expect(regenerated.status).toBe(303);
    expect(regenerated.location).toBe('/admin/security/recovery-codes');
    const shown = await agent.follow(regenerated);
    expect(shown.status).toBe(200);
    expect(shown.headers['cache-control']).toMatch(/\bno-store\b/); // never kept by the browser
    expect(text(shown, 'h1')).toBe('Your recovery codes');
    const newCodes = codesOn(shown);
    expect(newCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(newCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of newCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(newCodes.filter((c) => firstCodes.includes(c))).toEqual([]);
    // Shown once: a second visit goes back to the security page, which counts a full set again.
    const again = await agent.get('/admin/security/recovery-codes');
    expect(again.status).toBe(303);
    expect(again.location).toBe('/admin/security');
    expect(text(await agent.get('/admin/security'), '.actions-panel')).toContain(`${RECOVERY_CODE_COUNT} recovery codes left.`);
    // Only hashes are stored.
    expect(JSON.stringify(await t.db.collection('two_factor').findOne({}))).not.toContain(newCodes[0]);

    // An old, never used code is refused at sign-in; a new one signs in, once.
    const old = await signInWithRecoveryCode(firstCodes[1] ?? '');
    expect(old.status).toBe(401);
    expect((await old.agent.get('/admin')).location).toMatch(/^\/login/);
    const fresh = await signInWithRecoveryCode(newCodes[4] ?? '');
    expect(fresh.status).toBe(303);
    expect((await fresh.agent.get('/admin')).status).toBe(200);
    expect((await signInWithRecoveryCode(newCodes[4] ?? '')).status).toBe(401);

    const entries = await t.db.collection('audit_log').find({ action: 'security.recoveryCodes.regenerate' }).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { id: user.id, email: user.email }, ip: '127.0.0.1', entity: { type: 'user', id: user.id },
      before: { recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 }, after: { recoveryCodesLeft: RECOVERY_CODE_COUNT },
    });
    // The audit entry never holds a code.
    expect(JSON.stringify(entries[0])).not.toContain(newCodes[0]);
  });

  it('is only for staff who turned 2FA on, and not for customers', async () => {
    const { agent: noTwoFactor, user: other } = await signedInAgent(t, 'staff');
    const security = await noTwoFactor.get('/admin/security');
    expect(security.html().querySelector('form.recovery-form')).toBeNull();
    const token = security.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    const res = await noTwoFactor.post('/admin/security/recovery-codes', { _csrf: token, password: other.password });
    expect(res.status).toBe(422);
    expect(await t.db.collection('two_factor').countDocuments({ _id: { $exists: true } })).toBe(1);

    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.get('/admin/security')).status).toBe(403);
  });
});
