import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { errorText, GOOD_PASSWORD, login, logout, register, uniqueEmail } from './accounts-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('register', () => {
  it('creates the account, signs the user in and normalises the email', async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('Reg');
    const res = await register(agent, { email: `  ${email.toUpperCase()} ` });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/account');
    const account = await agent.get('/account');
    expect(account.status).toBe(200);
    expect(account.html().querySelector('.greeting')?.text).toContain('Ana Test');
    const user = await t.db.collection('users').findOne({ email: email.toLowerCase() });
    expect(user?.role).toBe('customer');
    expect(String(user?.passwordHash)).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it.each([
    ['short', 'short pw', 'password', 'at least 10'],
    ['common', '1234567890', 'password', 'most common'],
    ['the email', '', 'password', 'email address'],
    ['too long', 'x'.repeat(129), 'password', 'at most 128'],
  ])('refuses a %s password with 422 beside the field, keeping the input', async (_label, password, field, message) => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail();
    const res = await register(agent, { email, password: password === '' ? email : password, name: 'Kept Name' });
    expect(res.status).toBe(422);
    expect(errorText(res, field)).toContain(message);
    expect(res.html().querySelector('#f-name')?.getAttribute('value')).toBe('Kept Name');
    expect(res.html().querySelector('#f-password')?.getAttribute('value')).toBeUndefined();
    expect(await t.db.collection('users').countDocuments({ email })).toBe(0);
  });

  it('refuses a taken email (any case) and a malformed one', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(t.app), { email });
    const again = await register(new TestAgent(t.app), { email: email.toUpperCase() });
    expect(again.status).toBe(422);
    expect(errorText(again, 'email')).toContain('already exists');
    const bad = await register(new TestAgent(t.app), { email: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(errorText(bad, 'email')).toContain('name@example.com');
  });
});

describe('login and logout', () => {
  it('answers an unknown email and a wrong password with the same status and body', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(t.app), { email });
    const wrong = await login(new TestAgent(t.app), email, 'wrong password here');
    const unknown = await login(new TestAgent(t.app), uniqueEmail('nobody'), 'wrong password here');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    // Only the echoed email and the per-session CSRF token may differ.
    const normalise = (body: string) => body.replace(/name="_csrf" value="[^"]*"/g, '').replace(/value="[^"]*@example\.com"/g, '');
    expect(normalise(wrong.body)).toBe(normalise(unknown.body));
    expect(errorText(wrong)).toBe('The email or password is not correct.');
  });

  it('regenerates the session id at login and at logout, and logout ends the session', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(t.app), { email });
    const agent = new TestAgent(t.app);
    // A visitor session exists before login (here through the language switcher's flash message).
    await agent.submitForm(await agent.get('/login'), 'form.language-form', { locale: 'en' });
    const before = agent.cookies.get('sid');
    expect(before).toBeDefined();
    const res = await login(agent, email, GOOD_PASSWORD);
    expect(res.status).toBe(303);
    const during = agent.cookies.get('sid');
    expect(during).not.toBe(before);
    const out = await logout(agent);
    expect(out.status).toBe(303);
    expect(agent.cookies.get('sid')).not.toBe(during);
    expect((await agent.get('/account')).status).toBe(303);
    // The old cookie is dead too (the session was destroyed in the store, not just forgotten).
    const replay = new TestAgent(t.app);
    replay.cookies.set('sid', during ?? '');
    expect((await replay.get('/account')).location).toBe('/login?next=%2Faccount');
  });

  it('follows a local ?next= and refuses other origins', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(t.app), { email });
    const ok = await login(new TestAgent(t.app), email, GOOD_PASSWORD, {}, '/login?next=%2Faccount%2Faddresses');
    expect(ok.location).toBe('/account/addresses');
    for (const evil of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      const res = await login(new TestAgent(t.app), email, GOOD_PASSWORD, { next: evil });
      expect(res.location, evil).toBe('/account');
    }
  });

  it('keeps the cookie for 30 days with "remember me", only for the browser session without', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(t.app), { email });
    const cookieOf = (page: { headers: Record<string, unknown> }) =>
      ([] as string[]).concat((page.headers['set-cookie'] as string | string[] | undefined) ?? []).find((c) => c.startsWith('sid=')) ?? '';
    const remembered = await login(new TestAgent(t.app), email, GOOD_PASSWORD, { remember: 'on' });
    const expires = /Expires=([^;]+)/i.exec(cookieOf(remembered))?.[1];
    expect(expires).toBeDefined();
    const days = (new Date(expires ?? 0).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    const plain = await login(new TestAgent(t.app), email, GOOD_PASSWORD);
    expect(cookieOf(plain)).not.toMatch(/Expires=|Max-Age=/i);
  });

  it('sends a visitor to login with next=, and a customer to 403 on a staff page', async () => {
    const visitor = new TestAgent(t.app);
    expect((await visitor.get('/account/profile')).location).toBe('/login?next=%2Faccount%2Fprofile');
    expect((await visitor.get('/admin/outbox')).location).toBe('/login?next=%2Fadmin%2Foutbox');
    const agent = new TestAgent(t.app);
    await register(agent, { email: uniqueEmail() });
    expect((await agent.get('/admin/outbox')).status).toBe(403);
  });

  it('shows the signed-in name in the header', async () => {
    const agent = new TestAgent(t.app);
    expect((await agent.get('/')).html().querySelector('.site-header .actions a')?.getAttribute('href')).toBe('/login');
    await register(agent, { email: uniqueEmail(), name: 'Zoë Header' });
    const home = await agent.get('/');
    expect(home.html().querySelector('.site-header .actions a')?.text).toBe('Zoë Header');
  });
});

describe('login refusals and session state', () => {
  /** An account made through the service: no session of any agent holds its id beforehand. */
  const newAccount = async (prefix: string): Promise<{ email: string; id: string }> => {
    const email = uniqueEmail(prefix);
    const user = await t.services.accounts.register({ email, password: GOOD_PASSWORD, name: 'Refusal Test', locale: 'en' });
    return { email, id: user.id };
  };

  it('refuses a disabled account at POST /login without ever putting its id in a session', async () => {
    const { email, id } = await newAccount('disabled');
    await t.db.collection('users').updateOne({ email }, { $set: { disabledAt: new Date() } });
    const agent = new TestAgent(t.app);
    const refused = await login(agent, email, GOOD_PASSWORD);
    expect(refused.status).toBe(403);
    expect(errorText(refused)).toBe('This account is disabled. Contact the shop if you think this is a mistake.');
    expect(await t.db.collection('sessions').countDocuments({ 'data.userId': id })).toBe(0);
    expect((await agent.get('/account')).location).toBe('/login?next=%2Faccount');
    // A wrong password still gets the generic answer: "disabled" is told only to who knows the password.
    expect(errorText(await login(new TestAgent(t.app), email, 'wrong password here'))).toBe('The email or password is not correct.');
    await t.db.collection('users').updateOne({ email }, { $unset: { disabledAt: '' } });
    expect((await login(new TestAgent(t.app), email, GOOD_PASSWORD)).status).toBe(303);
  });

  it('starts sudo mode at sign-in', async () => {
    const { email, id } = await newAccount('sudo');
    const before = Date.now();
    expect((await login(new TestAgent(t.app), email, GOOD_PASSWORD)).status).toBe(303);
    const session = await t.db.collection('sessions').findOne({ 'data.userId': id });
    const sudo = session?.data as { sudo?: { userId: string; at: number } } | undefined;
    expect(sudo?.sudo?.userId).toBe(id);
    expect(sudo?.sudo?.at).toBeGreaterThanOrEqual(before);
  });
});
