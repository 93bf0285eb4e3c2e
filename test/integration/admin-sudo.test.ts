import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminScope } from '../../src/modules/admin/scope.js';
import { requireRecentConfirmation } from '../../src/modules/staff-security/session.js';
import type { AppModule, ModuleContext } from '../../src/modules/types.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent, type TestUser } from './admin-fixtures.js';

/** A sensitive page as the later back-office modules write them (e.g. a CSV export). */
const exportRoutes: FastifyPluginAsync<ModuleContext> = async (app) => {
  app.get('/admin/test-export.csv', { preHandler: requireRecentConfirmation }, async (_request, reply) => reply.type('text/csv').send('a,b\n1,2\n'));
};
const exportModule: AppModule = { name: 'test-export', routes: adminScope(exportRoutes) };

describe('sudo mode (re-enter the password after 15 minutes)', () => {
  let t: TestApp;
  let agent: TestAgent;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ extraModules: [exportModule] });
    ({ agent, user } = await signedInAgent(t, 'staff'));
  });
  afterAll(async () => t?.close());

  it('passes right after sign-in, asks again once the confirmation is older than 15 minutes', async () => {
    expect((await agent.get('/admin/test-export.csv')).status).toBe(200);
    await t.db.collection('sessions').updateMany({ 'data.userId': user.id }, { $set: { 'data.sudo.at': Date.now() - 15 * 60_000 - 1000 } });
    const asked = await agent.get('/admin/test-export.csv');
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/admin/confirm?next=%2Fadmin%2Ftest-export.csv');

    const confirm = await agent.get(asked.location ?? '');
    expect(confirm.status).toBe(200);
    const wrong = await agent.submitForm(confirm, 'form.confirm-form', { password: 'wrong password' });
    expect(wrong.status).toBe(422);
    expect(wrong.html().querySelector('#e-password')?.text).toBe('That password is not correct.');
    expect((await agent.get('/admin/test-export.csv')).status).toBe(303);

    const ok = await agent.submitForm(confirm, 'form.confirm-form', { password: user.password });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin/test-export.csv');
    expect((await agent.get('/admin/test-export.csv')).status).toBe(200);
  });

  it('never sends the user to another site after confirming', async () => {
    const confirm = await agent.get('/admin/confirm?next=//evil.example/x');
    const ok = await agent.submitForm(confirm, 'form.confirm-form', { password: user.password });
    expect(ok.location).toBe('/admin');
    expect((await agent.post('/admin/confirm', { password: user.password })).status).toBe(403); // no CSRF token
  });
});
