import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    // A form and the route it posts to, writing to the database: the thing CSRF must protect.
    extraModules: [
      {
        name: 'csrf-test',
        routes: async (site) => {
          site.post<{ Body: { text?: string } }>('/test/note', async (request, reply) => {
            await t.db.collection('csrf_notes').insertOne({ text: request.body.text });
            return reply.code(303).redirect('/');
          });
        },
      },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

describe('CSRF', () => {
  it('refuses a POST without a token with a translated 403 and changes nothing', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    await agent.get('/'); // a session exists, only the token is missing
    const res = await agent.post('/test/note', { text: 'forged' });
    expect(res.status).toBe(403);
    expect(res.html().querySelector('h1')?.text).toBe('No permitido');
    expect(res.html().querySelector('main p:not(.error-status)')?.text).toContain('El formulario caducó');
    expect(await t.db.collection('csrf_notes').countDocuments({ text: 'forged' })).toBe(0);
  });

  it('refuses a wrong token and a token from another session', async () => {
    const victim = new TestAgent(t.app);
    // The login page has a POST form (the footer's language form is a GET form: no token).
    const victimPage = await victim.get('/login');
    const victimToken = victimPage.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    expect(victimToken).not.toBe('');

    const attacker = new TestAgent(t.app);
    await attacker.get('/');
    expect((await attacker.post('/test/note', { text: 'stolen', _csrf: victimToken })).status).toBe(403);
    expect((await victim.post('/test/note', { text: 'garbage', _csrf: 'not-a-token' })).status).toBe(403);
    // No session at all (cookie-less forgery): still 403.
    expect((await new TestAgent(t.app).post('/test/note', { text: 'anon', _csrf: victimToken })).status).toBe(403);
    expect(await t.db.collection('csrf_notes').countDocuments({ text: { $in: ['stolen', 'garbage', 'anon'] } })).toBe(0);
  });

  it('accepts the form with the token from the page', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/login');
    const token = page.html().querySelector('form.login-form input[name=_csrf]')?.getAttribute('value');
    const res = await agent.post('/test/note', { text: 'legit', _csrf: token ?? '' });
    expect(res.status).toBe(303);
    expect(await t.db.collection('csrf_notes').countDocuments({ text: 'legit' })).toBe(1);
  });

  it('keeps a returning visitor’s secret, and replaces a malformed cookie with a new secret', async () => {
    const agent = new TestAgent(t.app);
    const first = await agent.get('/login');
    const secret = agent.cookies.get('_csrf') ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.headers['set-cookie']).toBeDefined();
    // Returning: no new cookie, and each page's token (a new salt every time) is accepted.
    const tokens = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const page = await agent.get('/login');
      expect(page.headers['set-cookie']).toBeUndefined();
      const token = page.html().querySelector('form.login-form input[name=_csrf]')?.getAttribute('value') ?? '';
      tokens.add(token);
      expect(token).not.toContain(secret); // masked by the salt
      expect((await agent.post('/test/note', { text: `returning-${i}`, _csrf: token })).status).toBe(303);
    }
    expect(tokens.size).toBe(2);
    // A cookie that is not a secret made here: the page sets a new one, and its token does not
    // work with the malformed cookie.
    for (const malformed of ['x', `${secret}!`, 'a'.repeat(300)]) {
      agent.cookies.set('_csrf', malformed);
      const page = await agent.get('/login');
      expect(agent.cookies.get('_csrf')).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const fresh = page.html().querySelector('form.login-form input[name=_csrf]')?.getAttribute('value') ?? '';
      agent.cookies.set('_csrf', malformed);
      expect((await agent.post('/test/note', { text: 'malformed-secret', _csrf: fresh })).status).toBe(403);
    }
    expect(await t.db.collection('csrf_notes').countDocuments({ text: { $in: ['returning-0', 'returning-1'] } })).toBe(2);
    expect(await t.db.collection('csrf_notes').countDocuments({ text: 'malformed-secret' })).toBe(0);
  });

  it('checks the token before schema validation (no 422 leak for forged posts)', async () => {
    const agent = new TestAgent(t.app);
    await agent.get('/login');
    const res = await agent.post('/locale', { locale: 'not-a-locale' });
    expect(res.status).toBe(403);
  });
});
