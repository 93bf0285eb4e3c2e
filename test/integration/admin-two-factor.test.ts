import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { currentCode } from '../../src/modules/staff-security/totp.js';
import { createUser, csrfOf, signIn, signedInAgent, type TestUser } from './admin-fixtures.js';

const text = (page: Page, selector: string) => (page.html().querySelector(selector)?.text ?? '').replace(/\s+/g, ' ').trim();
/** A code of the next 30 s step: newer than the one used to confirm the enrolment. */
const nextCode = (secret: string) => currentCode(secret, new Date(Date.now() + 30_000));

describe('two-factor authentication', () => {
  let t: TestApp;
  let user: TestUser;
  let secret = '';
  let recoveryCodes: string[] = [];
  let otherSession: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    const signed = await signedInAgent(t, 'staff');
    user = signed.user;
    otherSession = new TestAgent(t.app);
    await signIn(otherSession, user);
    const agent = signed.agent;

    const security = await agent.get('/admin/security');
    expect(security.status).toBe(200);
    const started = await agent.submitForm(security, 'form.start-form');
    expect(started.status).toBe(303);
    const setup = await agent.get('/admin/security');
    secret = text(setup, 'code.secret').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(text(setup, 'code.otpauth-uri')).toMatch(new RegExp(`^otpauth://totp/Vitrine:.+\\?.*secret=${secret}`));

    const wrong = await agent.submitForm(setup, 'form.confirm-code-form', { code: '000000' });
    expect(wrong.status).toBe(422);
    expect(text(wrong, '#e-code')).toContain('not valid');
    const noCsrf = await agent.post('/admin/security/two-factor/confirm', { code: currentCode(secret, new Date()) });
    expect(noCsrf.status).toBe(403);

    const confirmed = await agent.submitForm(setup, 'form.confirm-code-form', { code: currentCode(secret, new Date()) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/admin/security/recovery-codes');
    const codesPage = await agent.follow(confirmed);
    recoveryCodes = codesPage.html().querySelectorAll('.recovery-codes code').map((c) => c.text);
    // Shown once only.
    expect((await agent.get('/admin/security/recovery-codes')).status).toBe(303);
  });
  afterAll(async () => t?.close());

  it('enrols with 10 distinct recovery codes and records it in the audit log', async () => {
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const doc = await t.db.collection('two_factor').findOne({});
    // Only hashes are stored.
    expect(JSON.stringify(doc)).not.toContain(recoveryCodes[0]);
    const entry = await t.db.collection('audit_log').findOne({ action: 'security.twoFactor.enable', 'entity.id': user.id });
    expect(entry?.actor).toEqual({ id: user.id, email: user.email });
  });

  it('ended the sessions that were signed in with the password only', async () => {
    const page = await otherSession.get('/admin');
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/login/);
  });

  it('asks for the code after the password, and signs in only with a valid one', async () => {
    const agent = new TestAgent(t.app);
    const login = await agent.get(`/login?next=${encodeURIComponent('/admin/customers')}`);
    const afterPassword = await agent.submitForm(login, 'form.login-form', { email: user.email, password: user.password });
    // The login route itself asks for the code: the user id never enters the session.
    expect(afterPassword.status).toBe(303);
    expect(afterPassword.location).toBe('/login/two-factor');
    expect(await t.db.collection('sessions').countDocuments({ 'data.userId': user.id, 'data.twoFactorVerifiedFor': { $exists: false } })).toBe(0);
    // Not signed in meanwhile.
    expect((await agent.get('/account')).location).toMatch(/^\/login/);
    const form = await agent.get('/login/two-factor');
    expect(form.status).toBe(200);
    expect((await agent.post('/login/two-factor', { code: nextCode(secret) })).status).toBe(403); // no CSRF token
    const wrong = await agent.submitForm(form, 'form.two-factor-form', { code: '123456' });
    expect(wrong.status).toBe(401);
    expect(text(wrong, '#e-code')).toContain('not valid');
    const ok = await agent.submitForm(form, 'form.two-factor-form', { code: nextCode(secret) });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin/customers');
    expect((await agent.get('/admin/customers')).status).toBe(200);

    // The same code cannot be used twice.
    const replay = new TestAgent(t.app);
    await signIn(replay, user);
    const replayed = await replay.submitForm(await replay.get('/login/two-factor'), 'form.two-factor-form', { code: nextCode(secret) });
    expect(replayed.status).toBe(401);
  });

  it('accepts a recovery code once', async () => {
    const code = recoveryCodes[3] ?? '';
    const first = new TestAgent(t.app);
    await signIn(first, user);
    const used = await first.submitForm(await first.get('/login/two-factor'), 'form.two-factor-form', { code: code.toUpperCase() });
    expect(used.status).toBe(303);
    expect((await first.get('/admin')).status).toBe(200);
    expect(await t.db.collection('audit_log').countDocuments({ action: 'security.recoveryCode.use', 'entity.id': user.id })).toBe(1);

    const second = new TestAgent(t.app);
    await signIn(second, user);
    const again = await second.submitForm(await second.get('/login/two-factor'), 'form.two-factor-form', { code });
    expect(again.status).toBe(401);
    const left = await first.get('/admin/security');
    expect(text(left, '.actions-panel')).toContain('9 recovery codes left.');
  });

  it('sends the user back to the login page after too many wrong codes', async () => {
    const agent = new TestAgent(t.app);
    await signIn(agent, user);
    const form = await agent.get('/login/two-factor');
    let last: Page = form;
    for (let i = 0; i < 5; i++) last = await agent.submitForm(form, 'form.two-factor-form', { code: '000000' });
    expect(last.status).toBe(303);
    expect(last.location).toBe('/login');
    expect((await agent.get('/login/two-factor')).location).toBe('/login');
  });

  it('turns 2FA off with the password (not without), and an admin setting enforces it for staff', async () => {
    const other = await createUser(t, 'staff');
    const agent = new TestAgent(t.app);
    await signIn(agent, other);
    await agent.submitForm(await agent.get('/admin/security'), 'form.start-form');
    const setup = await agent.get('/admin/security');
    const otherSecret = text(setup, 'code.secret').replace(/\s/g, '');
    await agent.submitForm(setup, 'form.confirm-code-form', { code: currentCode(otherSecret, new Date()) });
    const security = await agent.get('/admin/security');
    const refused = await agent.submitForm(security, 'form.recovery-form', { password: 'not my password' }, {});
    expect(refused.status).toBe(422);
    const token = csrfOf(security);
    const wrong = await agent.post('/admin/security/two-factor/disable', { _csrf: token, password: 'wrong password!' });
    expect(wrong.status).toBe(422);
    expect(text(wrong, '#e-password')).toBe('That password is not correct.');
    const off = await agent.post('/admin/security/two-factor/disable', { _csrf: token, password: other.password });
    expect(off.status).toBe(303);
    expect(await t.db.collection('two_factor').countDocuments({ _id: { $exists: true }, enabledAt: { $ne: null }, secret: otherSecret })).toBe(0);
    expect(await t.db.collection('audit_log').countDocuments({ action: 'security.twoFactor.disable', 'entity.id': other.id })).toBe(1);

    // Enforcement: staff without 2FA are sent to the setup page, which stays reachable.
    const { agent: admin } = await signedInAgent(t, 'admin');
    const settings = await admin.get('/admin/settings');
    expect((await admin.submitForm(settings, 'form.settings-form', { enforceTwoFactor: 'on' })).status).toBe(303);
    const blocked = await agent.get('/admin/customers');
    expect(blocked.status).toBe(303);
    expect(blocked.location).toBe('/admin/security');
    expect((await agent.get('/admin/security')).status).toBe(200);
  });
});
