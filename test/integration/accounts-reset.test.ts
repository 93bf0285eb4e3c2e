import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';
import { appOnDb, GOOD_PASSWORD, login, register, uniqueEmail, type ClockedApp } from './accounts-fixtures.js';

/** Password reset through a real SMTP server running in this process. */
interface Received {
  to: string[];
  raw: string;
}
const inbox: Received[] = [];
let smtp: SMTPServer;
let testDb: TestDb;
let shop: ClockedApp;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  testDb = await startTestDb();
  shop = await appOnDb(testDb, { smtpUrl: `smtp://127.0.0.1:${port}` });
});
afterAll(async () => {
  await shop?.app.close();
  await testDb?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Decodes quoted-printable soft breaks and escapes, enough to read a link. */
function decodeQp(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function requestReset(email: string): Promise<{ status: number; location: string | undefined }> {
  const agent = new TestAgent(shop.app);
  const res = await agent.submitForm(await agent.get('/forgot-password'), 'form.forgot-form', { email });
  return { status: res.status, location: res.location };
}

function lastResetLink(email: string): string {
  const mail = inbox.filter((m) => m.to.includes(email)).at(-1);
  if (!mail) throw new Error(`no mail for ${email}`);
  const match = /\/reset-password\/([\w-]{43})/.exec(decodeQp(mail.raw));
  if (!match) throw new Error('no reset link in the mail');
  return `/reset-password/${match[1]}`;
}

async function resetWith(link: string, password: string, agent = new TestAgent(shop.app)) {
  const form = await agent.get(link, { follow: true });
  if (form.status !== 200) return form;
  return agent.submitForm(form, 'form.reset-form', { password });
}

describe('password reset', () => {
  it('answers the same for a known and an unknown address', async () => {
    const email = uniqueEmail();
    await register(new TestAgent(shop.app), { email });
    const known = await requestReset(email);
    const unknown = await requestReset(uniqueEmail('nobody'));
    expect(known).toEqual({ status: 303, location: '/forgot-password/sent' });
    expect(unknown).toEqual(known);
  });

  it('emails a link over SMTP (text and HTML parts), stores only its hash, and ends the other sessions', async () => {
    const email = uniqueEmail('smtp');
    const other = new TestAgent(shop.app);
    await register(other, { email });
    expect((await other.get('/account')).status).toBe(200);

    await requestReset(email);
    const mail = inbox.filter((m) => m.to.includes(email)).at(-1);
    expect(mail?.raw).toMatch(/Subject: Reset your password/);
    expect(mail?.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail?.raw).toMatch(/Content-Type: text\/html/);
    const link = lastResetLink(email);
    const token = link.split('/').at(-1) ?? '';
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = await testDb.database.db.collection('password_resets').find({}).toArray();
    expect(stored.some((d) => d.tokenHash === createHash('sha256').update(token).digest('hex'))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(token);

    // The token leaves the URL: the link redirects to a clean /reset-password.
    const agent = new TestAgent(shop.app);
    const first = await agent.get(link);
    expect(first.location).toBe('/reset-password');
    const done = await resetWith(link, 'a brand new passphrase', agent);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/login');

    expect((await other.get('/account')).status).toBe(303); // the other session was ended
    expect((await login(new TestAgent(shop.app), email, GOOD_PASSWORD)).status).toBe(401);
    expect((await login(new TestAgent(shop.app), email, 'a brand new passphrase')).status).toBe(303);
    // Single use.
    expect((await resetWith(link, 'yet another passphrase')).status).toBe(400);
  });

  it('keeps the link after a refused password, replaces it with a newer one, and expires it after an hour', async () => {
    const email = uniqueEmail('rules');
    await register(new TestAgent(shop.app), { email });
    await requestReset(email);
    const older = lastResetLink(email);
    const weak = await resetWith(older, 'password12');
    expect(weak.status).toBe(422);
    await requestReset(email);
    const newer = lastResetLink(email);
    expect(newer).not.toBe(older);
    const stale = await resetWith(older, 'a fine long passphrase');
    expect(stale.status).toBe(400);
    expect(stale.html().querySelector('.reset-invalid')).not.toBeNull();

    shop.clock.advance(61 * 60_000);
    expect((await resetWith(newer, 'a fine long passphrase')).status).toBe(400);
  });
});
