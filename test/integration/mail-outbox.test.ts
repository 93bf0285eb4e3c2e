import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { register, uniqueEmail } from './accounts-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('mail without SMTP_URL', () => {
  it('logs once where to read the mail', () => {
    const lines = t.logs().filter((l) => String(l.msg).includes('/admin/outbox'));
    expect(lines).toHaveLength(1);
  });

  it('keeps translated text and HTML parts in the outbox', async () => {
    const email = uniqueEmail('pt');
    await register(new TestAgent(t.app, { 'accept-language': 'pt-BR' }), { email, name: 'Joana <b>' });
    const mail = await t.db.collection('outbox').findOne({ to: email, template: 'welcome' });
    expect(mail?.subject).toBe('Boas-vindas!');
    expect(mail?.text).toContain('Olá, Joana <b>,');
    expect(mail?.html).toContain('Joana &lt;b&gt;');
    expect(mail?.html).toMatch(/^<!doctype html>/);
  });
});
