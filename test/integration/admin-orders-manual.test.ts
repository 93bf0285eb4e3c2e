import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, stockOf } from '../fixtures/shop-data.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';
import { auditFor, outboxFor, text } from './admin-orders-fixtures.js';

/** Manual orders for offline sales: through the checkout's own steps (stock, number, email), once per form. */

const ADDRESS = { fullName: 'Rui Costa', line1: 'Rua do Ouro 5', city: 'Lisboa', postalCode: '1100-060', country: 'PT', shippingMethod: 'standard' };

describe('back office: manual orders', () => {
  let t: TestApp;
  let staff: TestAgent;
  let customer: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
    customer = (await signedInAgent(t, 'customer')).agent;
  });
  afterAll(async () => t?.close());

  const orders = () => t.db.collection<OrderDoc>('orders');

  it('creates a paid order by SKU: stock reserved, numbered, emails in the chosen language, audit', async () => {
    const p = await insertProduct(t.db, { price: 1200, variants: [{ stock: 5, sku: 'MAN-A' }, { stock: 2, sku: 'MAN-B' }] });
    const form = await staff.get('/admin/orders/new');
    expect(form.status).toBe(200);
    const done = await staff.submitForm(form, 'form.manual-order-form', {
      ...ADDRESS, email: 'walk-in@example.com', locale: 'es', paymentMethod: 'cash_on_delivery', paid: 'on', sku1: 'MAN-A', qty1: '2', sku2: 'MAN-B', qty2: '1',
    });
    expect(done.status).toBe(303);
    const number = Number(done.location?.split('/').pop());
    const order = await orders().findOne({ number });
    expect(order?.status).toBe('paid');
    expect(order?.locale).toBe('es');
    expect(order?.lines.map((l) => [l.sku, l.qty])).toEqual([['MAN-A', 2], ['MAN-B', 1]]);
    expect(order?.total.amount).toBe(4095); // 3 × 12.00 + 4.95 standard shipping (free only from 50.00)
    expect(await stockOf(t.db, p, 0)).toBe(3);
    expect(await stockOf(t.db, p, 1)).toBe(1);
    const mails = await outboxFor(t, 'walk-in@example.com');
    expect(mails.map((m) => m.template)).toEqual(['order-confirmation', 'order-paid']);
    expect(mails[0]?.subject).toContain('pedido');
    expect((await auditFor(t, number)).map((a) => a.action)).toEqual(['order.create']);
    const page = await staff.follow(done);
    expect(page.html().querySelectorAll('.timeline .timeline-what').map((e) => e.text.trim())).toContain('Entered by staff (offline sale)');
  });

  it('gives one order for a form sent twice at the same time (stock taken once)', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 10, sku: 'MAN-TWICE' }] });
    const form = await staff.get('/admin/orders/new');
    const values = { ...ADDRESS, email: 'twice@example.com', sku1: 'MAN-TWICE', qty1: '3' };
    const [a, b] = await Promise.all([staff.submitForm(form, 'form.manual-order-form', values), staff.submitForm(form, 'form.manual-order-form', values)]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(a.location).toBe(b.location);
    expect(await orders().countDocuments({ email: 'twice@example.com' })).toBe(1);
    expect(await stockOf(t.db, p)).toBe(7);
  });

  it('shows each problem beside its field (422) and keeps the input', async () => {
    await insertProduct(t.db, { variants: [{ stock: 1, sku: 'MAN-LOW' }] });
    await insertProduct(t.db, { status: 'draft', variants: [{ stock: 9, sku: 'MAN-DRAFT' }] });
    const form = await staff.get('/admin/orders/new');
    const bad = await staff.submitForm(form, 'form.manual-order-form', {
      ...ADDRESS, email: 'x@example.com', sku1: 'NOPE', qty1: '1', sku2: 'MAN-LOW', qty2: '4', sku3: 'MAN-DRAFT', qty3: '1', sku4: 'MAN-LOW', qty4: '0',
    });
    expect(bad.status).toBe(422);
    expect(text(bad, '#e-sku1')).toBe('No product has this SKU.');
    expect(text(bad, '#e-qty2')).toBe('Only 1 in stock.');
    expect(text(bad, '#e-sku3')).toBe('This product is not published.');
    expect(text(bad, '#e-qty4')).toBe('Enter a quantity from 1 to 99.');
    expect(bad.html().querySelector('#f-sku2')?.getAttribute('value')).toBe('MAN-LOW');
    expect(bad.html().querySelectorAll('.error-summary li a').map((a) => a.getAttribute('href'))).toContain('#f-sku1');

    const address = await staff.submitForm(form, 'form.manual-order-form', { ...ADDRESS, email: 'not-an-email', postalCode: '12', sku1: 'MAN-LOW', qty1: '1' });
    expect(address.status).toBe(422);
    expect(address.html().querySelector('#e-email')).not.toBeNull();
    const none = await staff.submitForm(form, 'form.manual-order-form', { ...ADDRESS, email: 'y@example.com' });
    expect(none.status).toBe(422);
    expect(text(none, '#e-sku1')).toBe('Enter at least one SKU.');
    const object = await staff.post('/admin/orders/new', { _csrf: csrfOf(form), 'email[$ne]': 'x', formKey: 'k'.repeat(20) });
    expect(object.status).toBe(422);
    expect(await orders().countDocuments({ email: { $in: ['x@example.com', 'not-an-email', 'y@example.com'] } })).toBe(0);
  });

  it("links an order for a known customer's email to their account: it shows in their order history", async () => {
    await insertProduct(t.db, { variants: [{ stock: 5, sku: 'MAN-LINK' }] });
    const { agent: buyer, user } = await signedInAgent(t, 'customer');
    const form = await staff.get('/admin/orders/new');
    // Typed with other capitals: emails are compared normalised.
    const done = await staff.submitForm(form, 'form.manual-order-form', { ...ADDRESS, email: user.email.toUpperCase(), sku1: 'MAN-LINK', qty1: '1' });
    expect(done.status).toBe(303);
    const number = Number(done.location?.split('/').pop());
    const order = await orders().findOne({ number });
    expect(order?.userId?.toHexString()).toBe(user.id);
    const rows = (await buyer.get('/account/orders')).html().querySelectorAll('table.orders tbody tr');
    expect(rows.map((r) => r.querySelector('a')?.text)).toEqual([String(number)]);

    // An email without an account stays a guest order.
    const guest = await staff.submitForm(await staff.get('/admin/orders/new'), 'form.manual-order-form', { ...ADDRESS, email: 'nobody-here@example.com', sku1: 'MAN-LINK', qty1: '1' });
    expect((await orders().findOne({ number: Number(guest.location?.split('/').pop()) }))?.userId).toBeNull();
  });

  it('needs the CSRF token and a staff role', async () => {
    await insertProduct(t.db, { variants: [{ stock: 3, sku: 'MAN-CSRF' }] });
    const form = await staff.get('/admin/orders/new');
    const values = { ...ADDRESS, email: 'csrf@example.com', sku1: 'MAN-CSRF', qty1: '1', formKey: 'a'.repeat(24), locale: 'en', paymentMethod: 'bank_transfer' };
    expect((await staff.post('/admin/orders/new', values)).status).toBe(403);
    expect((await customer.get('/admin/orders/new')).status).toBe(403);
    expect((await customer.post('/admin/orders/new', { ...values, _csrf: csrfOf(await customer.get('/account')) })).status).toBe(403);
    expect(await orders().countDocuments({ email: 'csrf@example.com' })).toBe(0);
    expect(csrfOf(form)).toBeTruthy();
  });
});
