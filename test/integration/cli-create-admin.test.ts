import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';
import { GOOD_PASSWORD, login, register, uniqueEmail } from './accounts-fixtures.js';

/**
 * `npm run create-admin -- --email …` (src/cli/create-admin.ts) as a real child process against a
 * test database, and the shop (an app on the same database) then signing that admin in.
 * The CLI finds the database like the server does (src/db/connect.ts): MONGODB_URI, else the
 * db.uri a running shop publishes in DATA_DIR. Both are used below.
 */

const run = promisify(execFile);
let testDb: TestDb;
let t: TestApp;
let dataDir: string;

beforeAll(async () => {
  testDb = await startTestDb();
  t = await createTestApp({ testDb });
  dataDir = mkdtempSync(join(tmpdir(), 'vitrine-create-admin-'));
  writeFileSync(join(dataDir, 'db.uri'), `${testDb.uri}\n`); // as a running shop publishes it
}, 60_000);
afterAll(async () => {
  await t?.close();
  await testDb?.close();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function createAdmin(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/cli/create-admin.ts'), ...args], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL: 'http://127.0.0.1:3000', MONGODB_URI: '', DATA_DIR: dataDir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function oneTimePassword(stdout: string): string {
  const match = /One-time password[^:]*: (\S+)$/m.exec(stdout);
  if (!match?.[1]) throw new Error(`No one-time password in: ${stdout}`);
  return match[1];
}

const userOf = (email: string) => t.db.collection('users').findOne({ email });

/** Signs in with the one-time password, then chooses a real one on the page the shop sends to. */
async function firstSignIn(email: string, otp: string, newPassword: string): Promise<TestAgent> {
  const agent = new TestAgent(t.app);
  const res = await login(agent, email, otp);
  expect(res.status).toBe(303);
  // Every page but the password form (and logout) sends there until the password is changed.
  const account = await agent.get('/account');
  expect(account.status).toBe(303);
  expect(account.location).toBe('/account/password');
  expect((await agent.get('/admin')).location).toBe('/account/password');
  const form = await agent.get('/account/password');
  expect(form.status).toBe(200);
  const changed = await agent.submitForm(form, 'form.password-form', { currentPassword: otp, password: newPassword });
  expect(changed.status).toBe(303);
  expect(changed.location).toBe('/account');
  return agent;
}

describe('create-admin', () => {
  it('creates admins with a different one-time password each, that signs in through the login form', async () => {
    const first = uniqueEmail('Admin-One');
    const second = uniqueEmail('admin-two');
    const one = await createAdmin(['--email', first], {}); // finds the database through DATA_DIR/db.uri
    const two = await createAdmin(['--email', second], { MONGODB_URI: testDb.uri });
    for (const [res, email] of [[one, first], [two, second]] as const) {
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`Created admin ${email.toLowerCase()}.`);
    }
    const otp1 = oneTimePassword(one.stdout);
    const otp2 = oneTimePassword(two.stdout);
    expect(otp1).not.toBe(otp2);
    expect(otp1.length).toBeGreaterThanOrEqual(20);

    const user = await userOf(first.toLowerCase());
    expect(user?.role).toBe('admin');
    expect(user?.mustChangePassword).toBe(true);
    expect(String(user?.passwordHash)).toMatch(/^\$argon2id\$/);
    expect(String(user?.passwordHash)).not.toContain(otp1);
    expect((await userOf(second))?.role).toBe('admin');

    // The one-time password of one admin is not the other's.
    expect((await login(new TestAgent(t.app), second, otp1)).status).toBe(401);

    const agent = await firstSignIn(first, otp1, GOOD_PASSWORD);
    expect((await agent.get('/account')).status).toBe(200);
    expect((await agent.get('/admin')).status).toBe(200);
    expect((await userOf(first.toLowerCase()))?.mustChangePassword).toBe(false);
    // The one-time password is spent; the chosen one works.
    expect((await login(new TestAgent(t.app), first, otp1)).status).toBe(401);
    const later = new TestAgent(t.app);
    expect((await login(later, first, GOOD_PASSWORD)).status).toBe(303);
    expect((await later.get('/admin')).status).toBe(200);
  }, 60_000);

  it("promotes an existing customer to admin, ending the customer's sessions", async () => {
    const email = uniqueEmail('customer');
    const customer = new TestAgent(t.app);
    expect((await register(customer, { email, name: 'Cora Customer' })).status).toBe(303);
    expect((await customer.get('/admin')).status).toBe(403);
    const before = await userOf(email);
    expect(before?.role).toBe('customer');

    const res = await createAdmin(['--email', email.toUpperCase()], { MONGODB_URI: testDb.uri });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Promoted admin ${email}.`);
    const otp = oneTimePassword(res.stdout);

    const after = await userOf(email);
    expect(after?._id.toHexString()).toBe(before?._id.toHexString());
    expect(after?.role).toBe('admin');
    expect(after?.name).toBe('Cora Customer');
    expect(await t.db.collection('users').countDocuments({ email })).toBe(1);
    // The old password no longer signs in, and the customer's session was ended.
    expect((await customer.get('/account')).location).toBe('/login?next=%2Faccount');
    expect((await login(new TestAgent(t.app), email, GOOD_PASSWORD)).status).toBe(401);

    const agent = await firstSignIn(email, otp, 'a brand new admin passphrase');
    expect((await agent.get('/admin')).status).toBe(200);
  }, 60_000);

  it('exits non-zero without --email or with a malformed email, and creates nothing', async () => {
    const usage = await createAdmin([], { MONGODB_URI: testDb.uri });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage');
    const bad = await createAdmin(['--email', 'not-an-email'], { MONGODB_URI: testDb.uri });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid email');
    expect(await t.db.collection('users').countDocuments({ email: 'not-an-email' })).toBe(0);
  }, 60_000);
});
