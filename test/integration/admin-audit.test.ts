import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createAuditRepository } from '../../src/modules/audit/repository.js';
import { signedInAgent, type TestUser } from './admin-fixtures.js';

const rows = (page: Page) => page.html().querySelectorAll('.audit-table tbody tr').map((tr) => tr.querySelectorAll('td').map((td) => td.text.replace(/\s+/g, ' ').trim()));

describe('audit log', () => {
  let t: TestApp;
  let admin: TestAgent;
  let adminUser: TestUser;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: admin, user: adminUser } = await signedInAgent(t, 'admin'));
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('offers no way to change or remove an entry', () => {
    expect(Object.keys(createAuditRepository(t.db)).sort()).toEqual(['actions', 'count', 'find', 'insert']);
    expect(Object.keys(t.services.audit).sort()).toEqual(['actions', 'list', 'record']);
  });

  it('records a settings change with who, before, after and IP, and shows it at /admin/audit', async () => {
    const form = await admin.get('/admin/settings');
    const saved = await admin.submitForm(form, 'form.settings-form', { lowStockThreshold: '9' });
    expect(saved.status).toBe(303);
    const page = await admin.get(`/admin/audit?action=settings.update&actor=${encodeURIComponent(adminUser.email.toUpperCase())}`);
    expect(page.status).toBe(200);
    const [row] = rows(page);
    expect(row?.slice(1, 4)).toEqual([adminUser.email, 'settings.update', 'settings admin']);
    expect(JSON.parse(row?.[4] ?? '')).toEqual({ lowStockThreshold: 5 });
    expect(JSON.parse(row?.[5] ?? '')).toEqual({ lowStockThreshold: 9 });
    expect(row?.[6]).toBe('127.0.0.1');
  });

  it('filters by actor, entity and dates (shop time zone), and paginates', async () => {
    const actor = { id: 'a'.repeat(24), email: `robot-${Date.now()}@example.com`, ip: '10.0.0.1' };
    for (let i = 0; i < 53; i++) {
      await t.services.audit.record({ actor, action: 'product.update', entity: { type: 'product', id: `p${i % 2}` }, before: { i }, after: { i: i + 1 }, ip: actor.ip });
    }
    const first = await admin.get(`/admin/audit?actor=${encodeURIComponent(actor.email)}`);
    expect(first.html().querySelector('.result-count')?.text).toContain('53 entries');
    expect(rows(first)).toHaveLength(50);
    const nextHref = first.html().querySelector('.admin-pagination a[rel=next]')?.getAttribute('href') ?? '';
    expect(nextHref).toContain('actor=');
    expect(rows(await admin.get(nextHref))).toHaveLength(3);

    const byEntity = await admin.get(`/admin/audit?entityType=product&entityId=p1&actor=${encodeURIComponent(actor.email)}`);
    expect(rows(byEntity)).toHaveLength(26);

    // Dates: one entry moved to 2025-06-01 23:30 UTC.
    await t.db.collection('audit_log').updateOne({ 'actor.email': actor.email, 'before.i': 0 }, { $set: { at: new Date('2025-06-01T23:30:00Z') } });
    const utcDay = await admin.get(`/admin/audit?actor=${encodeURIComponent(actor.email)}&from=2025-06-01&to=2025-06-01`);
    expect(rows(utcDay)).toHaveLength(1);
    const nextDay = await admin.get(`/admin/audit?actor=${encodeURIComponent(actor.email)}&from=2025-06-02&to=2025-06-02`);
    expect(rows(nextDay)).toHaveLength(0);
    const bad = await admin.get('/admin/audit?from=June');
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('#e-from')?.text).toBe('Enter a date as YYYY-MM-DD.');
  });

  it('is for admins only', async () => {
    expect((await staff.get('/admin/audit')).status).toBe(403);
  });
});
