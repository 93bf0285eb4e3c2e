import { ObjectId } from 'mongodb';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, insertOrder, signedInAgent } from './admin-fixtures.js';
import { auditFor, outboxFor, placeOrder, statusOf, text } from './admin-orders-fixtures.js';

/** The orders list (search, sort, filter, pages), bulk "mark shipped", CSV export, printable documents. */

const numbers = (page: { html(): import('node-html-parser').HTMLElement }) =>
  page.html().querySelectorAll('.orders-table tbody tr td:nth-child(2) a').map((a) => a.text);

describe('back office: orders list', () => {
  let t: TestApp;
  let staff: TestAgent;
  let staffId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await signedInAgent(t, 'staff');
    staff = s.agent;
    staffId = s.user.id;
  });
  afterAll(async () => t?.close());

  async function tagged(tag: string, count: number, spec: (i: number) => Partial<Parameters<typeof insertOrder>[1]> = () => ({})): Promise<OrderDoc[]> {
    const made: OrderDoc[] = [];
    for (let i = 0; i < count; i++) {
      const order = await insertOrder(t.db, { placedAt: new Date(Date.UTC(2026, 0, 1 + i)), total: 1000 + i * 10, ...spec(i) });
      await t.db.collection<OrderDoc>('orders').updateOne({ _id: order._id }, { $set: { email: `${tag}-${i}@example.com`, 'address.fullName': `Name ${tag} ${i}` } });
      made.push({ ...order, email: `${tag}-${i}@example.com` });
    }
    return made;
  }

  it('searches by email, name and number, filters by status, sorts and paginates', async () => {
    const tag = `l${new ObjectId().toHexString().slice(-6)}`;
    const orders = await tagged(tag, 27, (i) => ({ status: i % 3 === 0 ? 'pending_payment' : 'paid' }));
    const first = await staff.get(`/admin/orders?q=${tag}&sort=total&dir=asc`);
    expect(first.status).toBe(200);
    expect(text(first, '.result-count')).toBe('27 orders');
    expect(numbers(first)).toHaveLength(25);
    expect(numbers(first)[0]).toBe(`#${orders[0]?.number}`);
    const next = first.html().querySelector('.admin-pagination a[rel=next]')?.getAttribute('href') ?? '';
    expect(numbers(await staff.get(next))).toEqual([`#${orders[25]?.number}`, `#${orders[26]?.number}`]);
    const desc = await staff.get(`/admin/orders?q=${tag}&sort=total&dir=desc`);
    expect(numbers(desc)[0]).toBe(`#${orders[26]?.number}`);

    const byName = await staff.get(`/admin/orders?q=${encodeURIComponent(`name ${tag} 7`)}`);
    expect(numbers(byName)).toEqual([`#${orders[7]?.number}`]);
    const byNumber = await staff.get(`/admin/orders?q=%23${orders[4]?.number}`);
    expect(numbers(byNumber)).toEqual([`#${orders[4]?.number}`]);
    const pending = await staff.get(`/admin/orders?q=${tag}&status=pending_payment`);
    expect(text(pending, '.result-count')).toBe('9 orders');

    // A regex in the search is only text; bad parameters are the user's mistake.
    expect(text(await staff.get('/admin/orders?q=.*'), '.result-count')).toBe('0 orders');
    expect((await staff.get('/admin/orders?sort=password')).status).toBe(422);
    expect((await staff.get('/admin/orders?status=lost')).status).toBe(422);
    expect((await staff.get('/admin/orders?q=a&q=b')).status).toBe(422);
  });

  it('marks several paid orders shipped, each with its own tracking number; a bad row changes nothing', async () => {
    const a = await placeOrder(t, { email: 'bulk-a@example.com', status: 'paid' });
    const b = await placeOrder(t, { email: 'bulk-b@example.com', status: 'paid' });
    const c = await placeOrder(t, { email: 'bulk-c@example.com' });
    const list = await staff.get('/admin/orders?q=bulk-');
    const form = await staff.submitForm(list, 'form.bulk-form', { n: [a.order.number, b.order.number, c.order.number].map(String) });
    expect(form.status).toBe(200);
    const rows = form.html().querySelectorAll('.bulk-table tbody tr th a').map((x) => x.text);
    expect(rows).toEqual([`#${a.order.number}`, `#${b.order.number}`]);
    expect(form.html().querySelectorAll('.not-eligible li a').map((x) => x.text)).toEqual([`#${c.order.number}`]);

    const bad = await staff.submitForm(form, 'form.bulk-fulfil-form', { [`carrier_${a.order.number}`]: 'CTT', [`code_${a.order.number}`]: 'A1', [`carrier_${b.order.number}`]: 'CTT' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector(`#e-code_${b.order.number}`)).not.toBeNull();
    expect(await statusOf(t, a.order._id)).toBe('paid');

    const done = await staff.submitForm(bad, 'form.bulk-fulfil-form', { [`code_${b.order.number}`]: 'B2' });
    expect(done.status).toBe(303);
    expect(await statusOf(t, a.order._id)).toBe('fulfilled');
    expect(await statusOf(t, b.order._id)).toBe('fulfilled');
    expect((await t.services.orders.get(b.order._id))?.tracking?.code).toBe('B2');
    expect((await outboxFor(t, 'bulk-a@example.com')).map((m) => m.template)).toContain('order-shipped');
    expect((await auditFor(t, a.order.number)).map((x) => x.action)).toEqual(['order.fulfil']);
    const flash = await staff.follow(done);
    expect(text(flash, '.flashes')).toContain('2 orders marked as shipped.');

    // Sent again: nothing is shipped twice.
    const again = await staff.submitForm(bad, 'form.bulk-fulfil-form', { [`code_${b.order.number}`]: 'B2' });
    expect(again.status).toBe(303);
    expect((await outboxFor(t, 'bulk-a@example.com')).filter((m) => m.template === 'order-shipped')).toHaveLength(1);
    expect((await staff.post('/admin/orders/fulfil', { n: String(a.order.number) })).status).toBe(403);
    const nothing = await staff.get('/admin/orders/fulfil');
    expect(nothing.status).toBe(200);
    expect(text(nothing, '.empty')).toBe('Select at least one order first.');
  });

  it('exports CSV in sudo mode only, with spreadsheet formulas neutralised', async () => {
    const tag = `c${new ObjectId().toHexString().slice(-6)}`;
    const [order] = await tagged(tag, 1);
    if (!order) throw new Error('no order');
    await t.db.collection<OrderDoc>('orders').updateOne({ _id: order._id }, { $set: { 'address.fullName': '=HYPERLINK("http://evil")' } });

    await t.db.collection('sessions').updateMany({ 'data.userId': staffId }, { $set: { 'data.sudo.at': Date.now() - 16 * 60_000 } });
    const refused = await staff.get(`/admin/orders/export.csv?q=${tag}`);
    expect(refused.status).toBe(303);
    expect(refused.location).toMatch(/^\/admin\/confirm\?next=/);
    await t.db.collection('sessions').updateMany({ 'data.userId': staffId }, { $set: { 'data.sudo.at': Date.now() } });

    const csv = await staff.get(`/admin/orders/export.csv?q=${tag}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: String(order.number), email: `${tag}-0@example.com`, name: `'=HYPERLINK("http://evil")`, total: '10.00', currency: 'EUR', status: 'paid' });
    const audit = await t.db.collection('audit_log').findOne({ action: 'order.export', 'after.q': tag });
    expect(audit).not.toBeNull();
  });

  it('prints a packing slip and an invoice (no script)', async () => {
    const { order } = await placeOrder(t, { qty: 3 });
    for (const [path, heading] of [['packing-slip', `Packing slip #${order.number}`], ['invoice', `Invoice ${order.number}`]]) {
      const page = await staff.get(`/admin/orders/${order.number}/${path}`);
      expect(page.status, path).toBe(200);
      expect(text(page, 'h1')).toBe(heading);
      expect(page.html().querySelectorAll('script')).toHaveLength(0);
      expect(page.html().querySelectorAll('.print-table tbody tr')).toHaveLength(1);
      expect(page.html().querySelector('link[href*="admin"]')).not.toBeNull();
    }
    const invoice = await staff.get(`/admin/orders/${order.number}/invoice`);
    expect(text(invoice, '.totals-total dd')).toBe('€49.95') // 3 × 15.00 + 4.95 shipping;
    const slip = await staff.get(`/admin/orders/${order.number}/packing-slip`);
    expect(slip.body).not.toContain('€');
    expect((await staff.get('/admin/orders/424242424/invoice')).status).toBe(404);
    expect(csrfOf(await staff.get('/admin/orders'))).toBeTruthy();
  });
});
