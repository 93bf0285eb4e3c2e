import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

describe('database outage', () => {
  it('reports health, serves 503 pages within 2 s while the db is down, and recovers by itself', async () => {
    const up = await t.app.inject('/healthz');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ok', database: 'up' });

    const agent = new TestAgent(t.app, { 'accept-language': 'pt-BR' });
    expect((await agent.get('/')).status).toBe(200);

    await t.testDb.stopServer();
    try {
      const health = await timed(() => t.app.inject('/healthz'));
      expect(health.value.statusCode).toBe(503);
      expect(health.value.json()).toMatchObject({ status: 'unavailable', database: 'down' });
      expect(health.ms).toBeLessThan(2000);

      // Pages that need the database (an uncached search) answer 503; visitors with a session are
      // covered by faults-db-outage.test.ts. Already rendered storefront pages may still be served.
      for (const path of ['/search?q=outage', '/search?q=other']) {
        const page = await timed(() => agent.get(path));
        expect(page.value.status).toBe(503);
        expect(page.ms).toBeLessThan(2000);
        expect(page.value.headers['retry-after']).toBe('5');
        expect(page.value.html().querySelector('h1')?.text).toBe('Temporariamente indisponível');
        expect(page.value.body).not.toMatch(/Mongo|Error|stack/);
      }
      // Static files and the fixed information pages do not need the database.
      expect((await t.app.inject('/robots.txt')).statusCode).toBe(200);
      for (const locale of ['en', 'pt-BR', 'es']) {
        const info = await t.app.inject(`/pages/${locale}/shipping.html`);
        expect(info.statusCode, locale).toBe(200);
        expect(info.headers['content-type']).toMatch(/^text\/html/);
      }
    } finally {
      await t.testDb.restartServer();
    }

    // The driver reconnects on its own; allow it a few seconds.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await t.app.inject('/healthz')).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await new TestAgent(t.app).get('/')).status).toBe(200);
  });
});
