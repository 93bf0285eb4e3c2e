import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartOwner } from '../../src/modules/cart/types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';
import { signedInAgent } from './admin-fixtures.js';

/** The fixed cost of a back-office request: settings kept in-process, no cart count for admin pages. */
describe('back-office request cost', () => {
  let testDb: TestDb;
  let a: TestApp;
  let b: TestApp;
  const actor = { id: new ObjectId().toHexString(), email: 'admin@example.com', ip: '127.0.0.1' };

  beforeAll(async () => {
    testDb = await startTestDb();
    // Two app processes on one database.
    a = await createTestApp({ testDb });
    b = await createTestApp({ testDb });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await testDb?.close();
  });

  it('serves admin settings from memory, sees its own save at once and another process’s within the check interval', async () => {
    expect((await b.services.admin.settings.get()).timeZone).toBe('UTC');
    await a.services.admin.settings.save(actor, { timeZone: 'Europe/Madrid', enforceTwoFactor: true, lowStockThreshold: '3' });
    expect(await a.services.admin.settings.get()).toEqual({ timeZone: 'Europe/Madrid', enforceTwoFactor: true, lowStockThreshold: 3 });
    // Process b still has its copy; it re-checks the shared version at most once a second.
    const started = Date.now();
    let seen = (await b.services.admin.settings.get()).timeZone;
    while (seen !== 'Europe/Madrid' && Date.now() - started < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      seen = (await b.services.admin.settings.get()).timeZone;
    }
    expect(seen).toBe('Europe/Madrid');
    expect(Date.now() - started).toBeLessThan(2500);
    // Served from memory: a change written behind the service's back (no version bump) is not read…
    await testDb.database.db.collection('admin_settings').updateOne({ _id: 'admin' as unknown as ObjectId }, { $set: { timeZone: 'Asia/Tokyo' } });
    await new Promise((r) => setTimeout(r, 1100)); // past the check interval: the version did not move
    expect((await b.services.admin.settings.get()).timeZone).toBe('Europe/Madrid');
    // …until a save through the service bumps the version (its own copy is dropped at once).
    await a.services.admin.settings.save(actor, { timeZone: 'UTC', enforceTwoFactor: false, lowStockThreshold: '5' });
    expect((await a.services.admin.settings.get()).timeZone).toBe('UTC');
  });

  it('reads no cart count for admin pages (the admin layout has no cart), but does for shop pages', async () => {
    const { agent } = await signedInAgent(a, 'admin');
    const counted: CartOwner[] = [];
    const cart = a.services.cart;
    const count = cart.count.bind(cart);
    cart.count = async (owner: CartOwner) => {
      counted.push(owner);
      return count(owner);
    };
    try {
      for (const path of ['/admin', '/admin/products', '/admin/settings', '/admin/orders']) {
        expect((await agent.get(path)).status, path).toBe(200);
      }
      expect(counted).toHaveLength(0);
      expect((await agent.get('/account')).status).toBe(200);
      expect(counted.length).toBeGreaterThan(0);
    } finally {
      cart.count = count;
    }
  });
});
