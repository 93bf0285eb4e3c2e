import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { errorText, GOOD_PASSWORD, login, register, uniqueEmail } from './accounts-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** An agent holding a CSRF token, to post raw bodies as an attacker with a real session would. */
async function armed(): Promise<{ agent: TestAgent; csrf: string }> {
  const agent = new TestAgent(t.app);
  const page = await agent.get('/login');
  return { agent, csrf: page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '' };
}

async function postRaw(path: string, body: string, contentType = 'application/x-www-form-urlencoded') {
  const { agent, csrf } = await armed();
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const payload = body === '' ? '' : `${body}&_csrf=${encodeURIComponent(csrf)}`;
  return t.app.inject({ method: 'POST', url: path, headers: { cookie, 'content-type': contentType, 'x-csrf-token': csrf }, payload });
}

describe('bad input on the accounts forms', () => {
  it('turns operator and array payloads into a 422 with a message, never a login', async () => {
    const email = uniqueEmail('victim');
    await register(new TestAgent(t.app), { email });
    for (const body of [
      `email=${encodeURIComponent(email)}&password[$ne]=x`,
      `email[$ne]=x&password[$ne]=x`,
      `email=${encodeURIComponent(email)}&password[]=a`,
      `email=${encodeURIComponent(email)}&email=other@example.com&password=x`,
      `email=${encodeURIComponent(email)}&password=a&password=b`,
    ]) {
      const res = await postRaw('/login', body);
      expect(res.statusCode, body).toBe(422);
      expect(res.body, body).toContain('field-error');
      expect(res.headers.location, body).toBeUndefined();
    }
  });

  it('refuses over-long fields (422), invalid UTF-8 and empty bodies (4xx)', async () => {
    const long = await postRaw('/login', `email=${'a'.repeat(400)}%40example.com&password=x`);
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('at most 320');
    const hugePassword = await postRaw('/register', `name=A&email=${encodeURIComponent(uniqueEmail())}&password=${'x'.repeat(2000)}`);
    expect(hugePassword.statusCode).toBe(422);
    const badUtf8 = await postRaw('/register', `name=%FF%FE&email=%C3%28%40example.com&password=${encodeURIComponent(GOOD_PASSWORD)}`);
    expect(badUtf8.statusCode).toBeGreaterThanOrEqual(400);
    expect(badUtf8.statusCode).toBeLessThan(500);
    for (const path of ['/login', '/register', '/forgot-password', '/reset-password']) {
      const empty = await postRaw(path, '');
      expect(empty.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(empty.statusCode, path).toBeLessThan(500);
    }
  });

  it('never writes a password to the log', async () => {
    const email = uniqueEmail('logs');
    const secret = 'my very secret passphrase 42';
    await register(new TestAgent(t.app), { email, password: secret });
    await login(new TestAgent(t.app), email, secret);
    await login(new TestAgent(t.app), email, secret + ' wrong');
    await postRaw('/login', `email=${encodeURIComponent(email)}&password[]=${encodeURIComponent(secret)}`);
    expect(t.logText()).not.toContain('secret passphrase');
  });

  it('shows the validation message in the visitor language', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    const res = await register(agent, { email: uniqueEmail(), password: 'corta' });
    expect(res.status).toBe(422);
    expect(errorText(res, 'password')).toBe('Usa al menos 10 caracteres.');
  });
});
