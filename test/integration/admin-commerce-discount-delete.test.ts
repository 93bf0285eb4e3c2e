import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscountDoc } from '../../src/modules/checkout/discounts.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Deleting a discount code: admins only, over the version the form read, never while an order holds a use. */
describe('admin discount code delete', () => {
  let t: TestApp;
  let admin: TestAgent;
  let n = 0;
  const discounts = () => t.db.collection<DiscountDoc>('discounts');

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedInAgent(t, 'admin')).agent;
  });
  afterAll(async () => t?.close());

  async function create(): Promise<DiscountDoc> {
    const code = `DEL${Date.now().toString(36).toUpperCase()}${++n}`;
    const res = await admin.submitForm(await admin.get('/admin/discounts/new'), 'form.discount-form', { code, kind: 'fixed', value: '5' });
    expect(res.status).toBe(303);
    const doc = await discounts().findOne({ code });
    if (!doc) throw new Error('not created');
    return doc;
  }

  it('deletes a code from its editor: gone from the list, audited, the flash says so', async () => {
    const doc = await create();
    const id = doc._id.toHexString();
    const res = await admin.submitForm(await admin.get(`/admin/discounts/${id}`), 'form.delete-form');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/discounts');
    expect(await discounts().findOne({ _id: doc._id })).toBeNull();
    const list = await admin.follow(res);
    expect(list.html().querySelector('.flash, [role=status], .notice')?.text ?? list.html().text).toContain('Discount code deleted.');
    expect(list.html().querySelectorAll('td, th').some((c) => c.text.includes(doc.code))).toBe(false);
    const entry = await t.db.collection('audit_log').findOne({ action: 'discount.delete', 'entity.id': id });
    expect(entry?.before).toMatchObject({ code: doc.code, uses: 0 });
    expect(entry?.after).toBeNull();
    expect((await admin.get(`/admin/discounts/${id}`)).status).toBe(404);
  });

  it('refuses a stale version and a code held by an order being placed (kept, error shown)', async () => {
    const doc = await create();
    const id = doc._id.toHexString();
    const page = await admin.get(`/admin/discounts/${id}`);
    await discounts().updateOne({ _id: doc._id }, { $inc: { version: 1 } });
    const stale = await admin.submitForm(page, 'form.delete-form');
    expect(stale.location).toBe(`/admin/discounts/${id}`);
    expect(await discounts().findOne({ _id: doc._id })).not.toBeNull();
    await discounts().updateOne({ _id: doc._id }, { $push: { holds: 'order-in-flight' } });
    const held = await admin.submitForm(await admin.get(`/admin/discounts/${id}`), 'form.delete-form');
    expect(held.location).toBe(`/admin/discounts/${id}`);
    expect((await admin.follow(held)).html().text).toContain('an order using it is being placed');
    expect(await discounts().findOne({ _id: doc._id })).not.toBeNull();
  });

  it('needs the CSRF token and the admin role', async () => {
    const doc = await create();
    const url = `/admin/discounts/${doc._id.toHexString()}/delete`;
    expect((await admin.post(url, { version: '1' })).status).toBe(403);
    const { agent: staff } = await signedInAgent(t, 'staff');
    expect((await staff.post(url, { _csrf: csrfOf(await staff.get('/admin')), version: '1' })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post(url, { _csrf: csrfOf(await customer.get('/account')), version: '1' })).status).toBe(403);
    expect(await discounts().findOne({ _id: doc._id })).not.toBeNull();
  });
});
