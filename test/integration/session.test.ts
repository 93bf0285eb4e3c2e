import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSIONS_COLLECTION } from '../../src/db/session-store.js';
import { regenerateSession } from '../../src/plugins/session.js';
import { runSeeders, SEEDS_COLLECTION } from '../../src/seed/index.js';
import type { Seeder } from '../../src/seed/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    extraModules: [
      {
        name: 'session-test',
        routes: async (site) => {
          site.post('/test/remember', async (request, reply) => {
            (request.session as unknown as Record<string, unknown>).remembered = 'yes';
            reply.flash('info', 'search.prompt');
            return reply.code(303).redirect('/');
          });
          site.post('/test/login', async (request, reply) => {
            await regenerateSession(request, ['remembered']);
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

/** Pages with a POST form carry the token (the footer's language form is a GET form). */
function tokenOf(page: { html(): { querySelector(s: string): { getAttribute(n: string): string | undefined } | null } }): string {
  return page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
}

describe('sessions', () => {
  it('are stored in MongoDB with a TTL index and a rolling expiry', async () => {
    const indexes = await t.db.collection(SESSIONS_COLLECTION).indexes();
    expect(indexes.find((i) => i.name === 'expiresAt_ttl')).toMatchObject({ key: { expiresAt: 1 }, expireAfterSeconds: 0 });

    const agent = new TestAgent(t.app);
    const page = await agent.get('/login');
    await agent.post('/test/remember', { _csrf: tokenOf(page) });
    const sessions = t.db.collection<{ _id: string; expiresAt: Date; data: Record<string, unknown> }>(SESSIONS_COLLECTION);
    const before = await sessions.findOne({ 'data.remembered': 'yes' });
    expect(before).not.toBeNull();
    expect(before!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    // The next page shows (and removes) the flash: a change, saved. The one after changes
    // nothing and the expiry has just rolled, so nothing is written.
    await agent.get('/search');
    const shown = await sessions.findOne({ _id: before!._id });
    expect(shown!.data.flash).toBeUndefined();
    await agent.get('/search');
    expect(await sessions.findOne({ _id: before!._id })).toEqual(shown);

    // As if last touched two minutes ago: the next request rolls the expiry forward.
    const earlier = new Date(before!.expiresAt.getTime() - 120_000);
    await sessions.updateOne({ _id: before!._id }, { $set: { expiresAt: earlier, 'data.cookie.expires': earlier.toISOString() } });
    await agent.get('/search');
    const after = await sessions.findOne({ _id: before!._id });
    expect(after!.expiresAt.getTime()).toBeGreaterThan(before!.expiresAt.getTime());
    expect(after!.data).toMatchObject({ remembered: 'yes' });
  });

  it('are created only when something is stored, with an HttpOnly SameSite=Lax cookie', async () => {
    const agent = new TestAgent(t.app);
    const before = await t.db.collection(SESSIONS_COLLECTION).countDocuments();
    const page = await agent.get('/login');
    expect(agent.cookies.get('sid')).toBeUndefined();
    expect(await t.db.collection(SESSIONS_COLLECTION).countDocuments()).toBe(before);

    const res = await agent.post('/test/remember', { _csrf: tokenOf(page) });
    const setCookie = res.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie : [String(setCookie)]).find((c) => c.startsWith('sid='));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    expect(await t.db.collection(SESSIONS_COLLECTION).countDocuments()).toBe(before + 1);
  });

  it('keep a flash message across the redirect, shown once', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/login');
    const res = await agent.post('/test/remember', { _csrf: tokenOf(page) }, { follow: true });
    expect(res.html().querySelector('.flash-info')?.text).toBe('Type a word in the search box to find products.');
    expect((await agent.get('/')).html().querySelector('.flash')).toBeNull();
  });

  it('regenerate gives a new id, keeps chosen data, and the old id stops working', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/login');
    await agent.post('/test/remember', { _csrf: tokenOf(page) });
    const oldCookie = agent.cookies.get('sid');
    const page2 = await agent.get('/login');
    await agent.post('/test/login', { _csrf: tokenOf(page2) });
    const newCookie = agent.cookies.get('sid');
    expect(newCookie).toBeDefined();
    expect(newCookie).not.toBe(oldCookie);
    const oldId = decodeURIComponent(oldCookie ?? '').split('.')[0];
    expect(await t.db.collection(SESSIONS_COLLECTION).countDocuments({ _id: oldId as never })).toBe(0);
    const newId = decodeURIComponent(newCookie ?? '').split('.')[0];
    expect(await t.db.collection(SESSIONS_COLLECTION).findOne({ _id: newId as never })).toMatchObject({ data: { remembered: 'yes' } });
  });

  it('are not created for a visitor who only reads static files', async () => {
    const before = await t.db.collection(SESSIONS_COLLECTION).countDocuments();
    const res = await t.app.inject('/pages/en/privacy.html');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await t.db.collection(SESSIONS_COLLECTION).countDocuments()).toBe(before);
  });
});

describe('seeders', () => {
  it('run once in order, are recorded, and can be forced again', async () => {
    const calls: string[] = [];
    const make = (name: string): Seeder => ({ name, run: async () => void calls.push(name) });
    const list = [make('seed-test-a'), make('seed-test-b')];
    const context = { db: t.db, services: t.services, config: t.config, log: () => undefined };
    expect(await runSeeders(context, { seeders: list })).toEqual({ ran: ['seed-test-a', 'seed-test-b'], skipped: [] });
    expect(await runSeeders(context, { seeders: list })).toEqual({ ran: [], skipped: ['seed-test-a', 'seed-test-b'] });
    expect(await runSeeders(context, { seeders: list, force: true })).toEqual({ ran: ['seed-test-a', 'seed-test-b'], skipped: [] });
    expect(calls).toEqual(['seed-test-a', 'seed-test-b', 'seed-test-a', 'seed-test-b']);
    expect(await t.db.collection(SEEDS_COLLECTION).countDocuments({ _id: { $in: ['seed-test-a', 'seed-test-b'] } as never })).toBe(2);
  });

  it('the default seeders create the site settings without overwriting edits', async () => {
    const context = { db: t.db, services: t.services, config: t.config, log: () => undefined };
    await runSeeders(context, { force: true });
    await t.db.collection('settings').updateOne({ _id: 'site' as never }, { $set: { shopName: 'Edited' } });
    await runSeeders(context, { force: true });
    expect((await t.services.site.getSettings()).shopName).toBe('Edited');
  });
});
