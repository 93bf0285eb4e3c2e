import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Db } from 'mongodb';
import { buildApp } from '../../src/app.js';
import { parseConfig, type Config, type Env } from '../../src/config.js';
import { modules as defaultModules } from '../../src/modules/index.js';
import type { AppModule } from '../../src/modules/types.js';
import { createServices, type Services } from '../../src/services.js';
import { startTestDb, type TestDb } from './test-db.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  testDb: TestDb;
  config: Config;
  services: Services;
  /** Every log line written so far, parsed (level ≥ the configured LOG_LEVEL, default "info"). */
  logs(): Record<string, unknown>[];
  /** Raw log text, for "this secret never appears" checks. */
  logText(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment variables (NODE_ENV defaults to test, LOG_LEVEL to info). */
  env?: Env;
  modules?: readonly AppModule[];
  /** Modules added after the shop's own (test routes that need the session, CSRF, views). */
  extraModules?: readonly AppModule[];
  /** Runs before ready(): register extra routes or hooks for the test. */
  configure?: (app: FastifyInstance) => void | Promise<void>;
  /** Reuse a database (several apps on one db); default: a fresh in-memory one, closed with the app. */
  testDb?: TestDb;
}

/** Config for tests: parsed like production config, so defaults and validation are the real ones. */
export function testConfig(env: Env = {}): Config {
  return parseConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-test-')), ...env },
    { cwd: process.cwd() },
  );
}

/** The real app (buildApp) on its own in-memory embedded database, with captured logs. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(options.env);
  const ownDb = options.testDb === undefined;
  const testDb = options.testDb ?? (await startTestDb());
  const lines: string[] = [];
  const services = createServices({ db: testDb.database.db });
  const app = await buildApp(config, {
    database: testDb.database,
    services,
    modules: [...(options.modules ?? defaultModules), ...(options.extraModules ?? [])],
    logStream: { write: (msg: string) => void lines.push(...msg.split('\n').filter((l) => l.length > 0)) },
  });
  await options.configure?.(app);
  await app.ready();
  return {
    app,
    db: testDb.database.db,
    testDb,
    config,
    services,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    logText: () => lines.join('\n'),
    async close() {
      await app.close();
      if (ownDb) await testDb.close();
    },
  };
}
