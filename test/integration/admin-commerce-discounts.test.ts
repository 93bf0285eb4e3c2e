import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscountDoc } from '../../src/modules/checkout/discounts.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Issue 7 point 3: discount codes — admins only; the checkout counts the uses, staff see them. */
describe('admin discount codes', () => {
  let t: TestApp;
  let admin: TestAgent;
  let n = 0;
  const discounts = () => t.db.collection<DiscountDoc>('discounts');
  const code = () => `SAVE${Date.now().toString(36).toUpperCase()}${++n}`;

  beforeAll(async () => {
    t = await createTestApp();
    const signedIn = await signedInAgent(t, 'admin');
    admin = signedIn.agent;
    await t.services.admin.settings.save({ id: signedIn.user.id, email: signedIn.user.email, ip: '127.0.0.1' }, { timeZone: 'Europe/Lisbon', enforceTwoFactor: false, lowStockThreshold: '5' });
  });
  afterAll(async () => t?.close());

  async function create(values: Record<string, string>): Promise<DiscountDoc> {
    const form = await admin.get('/admin/discounts/new');
    const res = await admin.submitForm(form, 'form.discount-form', values);
    expect(res.status, res.body.slice(0, 200)).toBe(303);
    const doc = await discounts().findOne({ code: (values.code ?? '').toUpperCase() });
    if (!doc) throw new Error('not created');
    return doc;
  }

  it('creates percentage and fixed codes with dates and limits in the shop time zone, and lists their uses', async () => {
    const pct = code();
    const doc = await create({ code: pct.toLowerCase(), kind: 'percentage', value: '12.5', minOrder: '30', startsAt: '2025-06-01T09:00', endsAt: '2999-01-01T00:00', usageLimit: '100', perCustomerLimit: '1' });
    // The shop's zone, Europe/Lisbon, is UTC+1 in June.
    expect(doc).toMatchObject({ code: pct, kind: 'percentage', value: 1250, minOrder: 3000, usageLimit: 100, perCustomerLimit: 1, active: true, uses: 0, version: 1 });
    expect(doc.startsAt?.toISOString()).toBe('2025-06-01T08:00:00.000Z');
    const fixed = await create({ code: code(), kind: 'fixed', value: '5', active: '' });
    expect(fixed).toMatchObject({ kind: 'fixed', value: 500, minOrder: 0, startsAt: null, endsAt: null, usageLimit: null, active: false });

    await discounts().updateOne({ _id: doc._id }, { $set: { uses: 7 } });
    const list = await admin.get('/admin/discounts');
    const row = list.html().querySelectorAll('table.discounts-table tbody tr').find((r) => r.querySelector('code')?.text === pct);
    expect(row?.querySelectorAll('td.num').map((c) => c.text.trim())).toEqual(['€30.00', '7 / 100']);
    expect(row?.querySelector('.status-tag')?.text).toBe('Active');
    expect(list.html().querySelectorAll('table.discounts-table tbody tr').find((r) => r.querySelector('code')?.text === fixed.code)?.querySelector('.status-tag')?.text).toBe('Inactive');
    const edit = await admin.get(`/admin/discounts/${doc._id.toHexString()}`);
    expect(edit.html().querySelector('.discount-usage .uses')?.text.trim()).toBe('7 / 100');
    expect(edit.html().querySelector('#f-startsAt')?.getAttribute('value')).toBe('2025-06-01T09:00');
  });

  it('edits a code without touching its use counters; the checkout applies the new rules at once', async () => {
    const doc = await create({ code: code(), kind: 'percentage', value: '10', usageLimit: '5' });
    await discounts().updateOne({ _id: doc._id }, { $set: { uses: 5, holds: ['order-1'] } });
    const edit = await admin.get(`/admin/discounts/${doc._id.toHexString()}`);
    expect((await admin.submitForm(edit, 'form.discount-form', { value: '20', usageLimit: '50' })).status).toBe(303);
    const after = await discounts().findOne({ _id: doc._id });
    expect(after).toMatchObject({ value: 2000, usageLimit: 50, uses: 5, holds: ['order-1'], version: 2 });
    const found = await t.services.checkout.discounts.findByCode(doc.code);
    expect(found?.value).toBe(2000);
    const audit = await t.db.collection('audit_log').findOne({ action: 'discount.update', 'entity.id': doc._id.toHexString() });
    expect(audit?.before).toEqual({ value: 1000, usageLimit: 5 });
    expect(audit?.after).toEqual({ value: 2000, usageLimit: 50 });
  });

  it('validates every field (422, summary linking to the fields, input kept) and refuses a taken code', async () => {
    const existing = await create({ code: code(), kind: 'fixed', value: '1' });
    const form = await admin.get('/admin/discounts/new');
    const bad = await admin.submitForm(form, 'form.discount-form', { code: 'x!', kind: 'percentage', value: '150', minOrder: 'abc', startsAt: '2025-06-02T10:00', endsAt: '2025-06-01T10:00', usageLimit: '0' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'))).toEqual(['#f-code', '#f-value', '#f-minOrder', '#f-endsAt', '#f-usageLimit']);
    expect(bad.html().querySelector('#f-value')?.getAttribute('value')).toBe('150');
    expect(bad.html().querySelector('#e-value')?.text).toContain('percentage');
    const dup = await admin.submitForm(form, 'form.discount-form', { code: existing.code.toLowerCase(), kind: 'fixed', value: '2' });
    expect(dup.status).toBe(422);
    expect(dup.html().querySelector('#e-code')?.text).toContain('already uses');
    expect(await discounts().countDocuments({ code: existing.code })).toBe(1);
  });

  it('shows the differences instead of overwriting a code edited meanwhile (409)', async () => {
    const doc = await create({ code: code(), kind: 'percentage', value: '10' });
    const mine = await admin.get(`/admin/discounts/${doc._id.toHexString()}`);
    const theirs = await admin.get(`/admin/discounts/${doc._id.toHexString()}`);
    expect((await admin.submitForm(theirs, 'form.discount-form', { value: '15' })).status).toBe(303);
    const stale = await admin.submitForm(mine, 'form.discount-form', { value: '25' });
    expect(stale.status).toBe(409);
    expect(stale.html().querySelectorAll('.conflict-diff tbody tr').find((r) => r.querySelector('code')?.text === 'value')?.querySelector('.current')?.text).toBe('15');
    expect((await discounts().findOne({ _id: doc._id }))?.value).toBe(1500);
  });

  it('is for admins only: staff and customers get 403, visitors the login page, a missing CSRF token 403', async () => {
    const doc = await create({ code: code(), kind: 'percentage', value: '10' });
    const { agent: staff } = await signedInAgent(t, 'staff');
    const token = csrfOf(await staff.get('/admin'));
    expect((await staff.get('/admin/discounts')).status).toBe(403);
    expect((await staff.post(`/admin/discounts/${doc._id.toHexString()}`, { _csrf: token, code: doc.code, kind: 'percentage', value: '99', version: '1' })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post('/admin/discounts/new', { _csrf: csrfOf(await customer.get('/account')), code: 'CUSTOMER', kind: 'fixed', value: '1' })).status).toBe(403);
    expect((await new TestAgent(t.app).get('/admin/discounts/new')).location).toMatch(/^\/login/);
    expect((await admin.post('/admin/discounts/new', { code: 'NOCSRF', kind: 'fixed', value: '1' })).status).toBe(403);
    expect(await discounts().countDocuments({ code: { $in: ['CUSTOMER', 'NOCSRF'] } })).toBe(0);
    expect((await discounts().findOne({ _id: doc._id }))?.value).toBe(1000);
  });
});
