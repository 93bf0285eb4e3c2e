import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createServices, type Services, type ServiceDeps } from '../../src/services.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { testConfig } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/** Shared steps of the accounts tests (not a test file itself). */

let counter = 0;
/** A unique email per call, so that each test makes its own data. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

export async function register(agent: TestAgent, values: { email: string; password?: string; name?: string }): Promise<Page> {
  const form = await agent.get('/register');
  return agent.submitForm(form, 'form.register-form', { name: values.name ?? 'Ana Test', email: values.email, password: values.password ?? GOOD_PASSWORD });
}

export async function login(agent: TestAgent, email: string, password: string, extra: Record<string, string> = {}, url = '/login'): Promise<Page> {
  const form = await agent.get(url);
  return agent.submitForm(form, 'form.login-form', { email, password, ...extra });
}

export async function logout(agent: TestAgent): Promise<Page> {
  const page = await agent.get('/account');
  return agent.submitForm(page, 'form.logout-form');
}

/** Text of the form-level error, or of a field's error. */
export function errorText(page: Page, field?: string): string | undefined {
  const selector = field === undefined ? '.form-error' : `#e-${field}`;
  return page.html().querySelector(selector)?.text.trim();
}

export interface ClockedApp {
  app: FastifyInstance;
  services: Services;
  clock: { now: Date; advance(ms: number): void };
}

/** An app on a shared test db with its own controllable clock (throttling tests). */
export function testClock(start = new Date()): ClockedApp['clock'] {
  return {
    now: start,
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
}

/** Apps given the same clock see the same time, like processes on one host. */
export async function appOnDb(testDb: TestDb, deps: Partial<ServiceDeps> = {}, clock = testClock()): Promise<ClockedApp> {
  const services = createServices({ db: testDb.database.db, clock: () => clock.now, ...deps });
  const app = await buildApp(testConfig(), { database: testDb.database, services });
  await app.ready();
  return { app, services, clock };
}

/**
 * Two app instances on one database with one clock, as two processes behind a load balancer:
 * started before the file's tests and closed after them.
 */
export function twoAppsOnOneDb(): { readonly a: ClockedApp; readonly b: ClockedApp; readonly testDb: TestDb } {
  const pair = {} as { a: ClockedApp; b: ClockedApp; testDb: TestDb };
  beforeAll(async () => {
    pair.testDb = await startTestDb();
    const clock = testClock();
    pair.a = await appOnDb(pair.testDb, {}, clock);
    pair.b = await appOnDb(pair.testDb, {}, clock);
  });
  afterAll(async () => {
    await pair.a?.app.close();
    await pair.b?.app.close();
    await pair.testDb?.close();
  });
  return pair;
}
