import { buildApp } from '../../src/app.js';
import { createServices } from '../../src/services.js';
import { testConfig, type TestApp } from '../helpers/test-app.js';
import { startTestDb } from '../helpers/test-db.js';
import { collectRoutes, type RouteInfo } from './routes.js';

/** The test app (same shape as test/helpers/test-app.ts, so the fixtures take it) plus its router. */
export type FuzzApp = TestApp & { routes: RouteInfo[] };

/** Login throttling off: thousands of refused logins from 127.0.0.1 would lock the seeded users out. */
const NO_THROTTLE = { windowMs: 60_000, lockMs: 1, maxDelayMs: 0, account: { free: 1e9, lockAfter: 1e9 }, ip: { free: 1e9, lockAfter: 1e9 } };

/**
 * The real app (buildApp, every module) on a fresh in-memory embedded database, with its router
 * recorded. Same shape as test/helpers/test-app.ts, so the seed helpers take it.
 */
export async function createFuzzApp(): Promise<FuzzApp> {
  const config = testConfig({ LOG_LEVEL: 'warn' });
  const testDb = await startTestDb();
  const lines: string[] = [];
  const services = createServices({ db: testDb.database.db, loginThrottle: NO_THROTTLE });
  const { result: app, routes } = await collectRoutes(() =>
    buildApp(config, { database: testDb.database, services, logStream: { write: (msg: string) => void lines.push(...msg.split('\n').filter((l) => l.length > 0)) } }),
  );
  await app.ready();
  const logs = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    app,
    db: testDb.database.db,
    services,
    routes,
    testDb,
    config,
    logs,
    logText: () => lines.join('\n'),
    async close() {
      await app.close();
      await testDb.close();
    },
  };
}
