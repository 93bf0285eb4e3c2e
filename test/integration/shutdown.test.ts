import { describe, expect, it } from 'vitest';
import { createShutdown } from '../../src/lifecycle.js';
import { createTestApp } from '../helpers/test-app.js';

describe('graceful shutdown', () => {
  it('finishes the in-flight request, refuses new connections, then closes the database', async () => {
    const events: string[] = [];
    let started: () => void = () => undefined;
    const routeStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const t = await createTestApp({
      extraModules: [
        {
          name: 'slow',
          routes: async (site) => {
            site.get('/test/slow', async () => {
              started();
              await new Promise((r) => setTimeout(r, 400));
              events.push('request finished');
              return { done: true };
            });
          },
        },
      ],
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const base = `http://127.0.0.1:${address.port}`;

    const inFlight = fetch(`${base}/test/slow`).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
    await routeStarted;
    const shutdown = createShutdown({
      app: t.app,
      timeoutMs: 5000,
      closeResources: async () => {
        events.push('database closed');
        await t.testDb.close();
      },
    });
    const shutdownStart = performance.now();
    const stopping = shutdown('SIGTERM');
    expect(shutdown('SIGINT')).toBe(stopping); // a second signal joins the same shutdown

    const response = await inFlight;
    expect(response).toEqual({ status: 200, body: { done: true } });
    await stopping;
    // Not held open by the finished request's keep-alive connection.
    expect(performance.now() - shutdownStart).toBeLessThan(2000);
    expect(events).toEqual(['request finished', 'database closed']);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('cuts requests that outlive the grace period', async () => {
    const t = await createTestApp({
      extraModules: [
        {
          name: 'stuck',
          routes: async (site) => {
            site.get('/test/stuck', () => new Promise(() => undefined));
          },
        },
      ],
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const stuck = fetch(`http://127.0.0.1:${address.port}/test/stuck`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const start = performance.now();
    await createShutdown({ app: t.app, timeoutMs: 300, closeResources: () => t.testDb.close() })('SIGTERM');
    expect(performance.now() - start).toBeLessThan(2000);
    expect(await stuck).toBeInstanceOf(Error);
  });
});
