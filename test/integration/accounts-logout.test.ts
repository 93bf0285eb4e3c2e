import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { logout, register, uniqueEmail } from './accounts-fixtures.js';

/** Signing out changes state, so it is a POST (with its CSRF token): a link or an <img> cannot do it. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('logout is POST only', () => {
  it('GET /logout with a signed-in session does not end it', async () => {
    const agent = new TestAgent(t.app);
    expect((await register(agent, { email: uniqueEmail('get-logout') })).status).toBe(303);
    const sid = agent.cookies.get('sid');
    expect(sid).toBeDefined();
    const sessionsBefore = await t.db.collection('sessions').countDocuments();

    const res = await agent.get('/logout');
    expect([404, 405]).toContain(res.status);
    expect(res.location).toBeUndefined();

    expect(agent.cookies.get('sid')).toBe(sid);
    expect(await t.db.collection('sessions').countDocuments()).toBe(sessionsBefore);
    const account = await agent.get('/account');
    expect(account.status).toBe(200);

    // The POST form does end it (the control for the above).
    const out = await logout(agent);
    expect(out.status).toBe(303);
    expect((await agent.get('/account')).status).toBe(303);
  });

  it('POST /logout without the CSRF token does not end the session either', async () => {
    const agent = new TestAgent(t.app);
    await register(agent, { email: uniqueEmail('csrf-logout') });
    const res = await agent.post('/logout', {});
    expect(res.status).toBe(403);
    expect((await agent.get('/account')).status).toBe(200);
  });
});
