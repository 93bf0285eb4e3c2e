import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../src/modules/orders/types.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, insertOrder, signedInAgent } from './admin-fixtures.js';
import { auditFor, outboxFor, placeOrder, statusOf, text } from './admin-orders-fixtures.js';

/** Status changes from the order page: allowed edges, forbidden ones, stock back exactly once, emails, audit. */

describe('back office: order status changes', () => {
  let t: TestApp;
  let staff: TestAgent;
  let customer: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
    customer = (await signedInAgent(t, 'customer')).agent;
  });
  afterAll(async () => t?.close());

  it('records a payment: status paid, the "payment received" email, a timeline entry, an audit record', async () => {
    const { order } = await placeOrder(t, { email: 'pay-me@example.com' });
    const page = await staff.get(`/admin/orders/${order.number}`);
    expect(page.status).toBe(200);
    expect(text(page, 'h1 .status-tag')).toBe('Awaiting payment');
    const timeline = page.html().querySelectorAll('.timeline li .timeline-what').map((e) => e.text.trim());
    expect(timeline).toEqual(['Order placed', 'Order confirmation emailed']);

    const done = await staff.submitForm(page, 'form.paid-form');
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/admin/orders/${order.number}`);
    expect(await statusOf(t, order._id)).toBe('paid');
    const after = await staff.follow(done);
    expect(text(after, 'h1 .status-tag')).toBe('Paid');
    expect(after.html().querySelectorAll('.timeline li .timeline-what').map((e) => e.text.trim())).toEqual(
      expect.arrayContaining(['Status changed to Paid', 'Payment captured', '"Payment received" email sent']),
    );
    expect((await outboxFor(t, 'pay-me@example.com')).map((m) => m.template)).toEqual(['order-confirmation', 'order-paid']);
    const audit = await auditFor(t, order.number);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([['order.paid', { status: 'pending_payment' }, { status: 'paid' }]]);

    // The same form sent again (a double submit) changes nothing: no second email, no second record.
    const again = await staff.submitForm(page, 'form.paid-form');
    expect(again.status).toBe(409);
    expect(text(again, '.form-error')).toContain('status has changed');
    expect(await outboxFor(t, 'pay-me@example.com')).toHaveLength(2);
    expect(await auditFor(t, order.number)).toHaveLength(1);
  });

  it('fulfils with a tracking number (required, http(s) link only); the customer gets the email in their language and sees it', async () => {
    const { order } = await placeOrder(t, { email: 'ship-me@example.com', locale: 'pt-BR', status: 'paid' });
    const page = await staff.get(`/admin/orders/${order.number}`);

    const missing = await staff.submitForm(page, 'form.fulfil-form', { carrier: 'CTT', code: '' });
    expect(missing.status).toBe(422);
    expect(text(missing, '#e-code')).toBe('Enter the tracking number (up to 100 characters).');
    expect(missing.html().querySelector('#f-carrier')?.getAttribute('value')).toBe('CTT');
    const script = await staff.submitForm(page, 'form.fulfil-form', { carrier: 'CTT', code: 'RR1', url: 'javascript:alert(1)' });
    expect(script.status).toBe(422);
    expect(script.html().querySelector('#e-url')).not.toBeNull();
    const object = await staff.post(`/admin/orders/${order.number}/fulfil`, { _csrf: csrfOf(page), 'code[$ne]': 'x', carrier: 'CTT' });
    expect(object.status).toBe(422);
    expect(await statusOf(t, order._id)).toBe('paid');

    const done = await staff.submitForm(page, 'form.fulfil-form', { carrier: 'CTT', code: 'RR123456789PT', url: 'https://track.example/RR123456789PT' });
    expect(done.status).toBe(303);
    const stored = await t.services.orders.get(order._id);
    expect(stored?.status).toBe('fulfilled');
    expect(stored?.tracking).toEqual({ carrier: 'CTT', code: 'RR123456789PT', url: 'https://track.example/RR123456789PT' });
    const mail = (await outboxFor(t, 'ship-me@example.com')).find((m) => m.template === 'order-shipped');
    expect(mail?.subject).toBe(`Seu pedido ${order.number} está a caminho`);
    expect(mail?.text).toContain('Código de rastreio: RR123456789PT');
    expect((await auditFor(t, order.number)).map((a) => a.action)).toEqual(['order.fulfil']);

    const links = t.services.orders.links();
    const mine = await customer.get(links?.orderPath(order._id.toHexString()) ?? '');
    expect(mine.status).toBe(200);
    expect(text(mine, '.tracking')).toContain('RR123456789PT');

    const complete = await staff.submitForm(await staff.follow(done), 'form.complete-form');
    expect(complete.status).toBe(303);
    expect(await statusOf(t, order._id)).toBe('completed');
  });

  it('cancels an unpaid order: stock back exactly once when the form is sent twice at the same time', async () => {
    const { order, stock } = await placeOrder(t, { stock: 5, qty: 2 });
    expect(await stock()).toBe(3);
    const page = await staff.get(`/admin/orders/${order.number}`);
    const results = await Promise.all([staff.submitForm(page, 'form.cancel-form'), staff.submitForm(page, 'form.cancel-form')]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await statusOf(t, order._id)).toBe('cancelled');
    expect(await stock()).toBe(5);
    expect(await t.services.orders.finishPendingRestocks()).toBe(0);
    expect(await stock()).toBe(5);
    expect((await auditFor(t, order.number)).map((a) => a.action)).toEqual(['order.cancel']);
  });

  it('cancels a paid order: the payment is refunded and the stock comes back once', async () => {
    const { order, stock } = await placeOrder(t, { stock: 4, qty: 3, status: 'paid' });
    const page = await staff.get(`/admin/orders/${order.number}`);
    const results = await Promise.all([staff.submitForm(page, 'form.cancel-form'), staff.submitForm(page, 'form.cancel-form')]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    const stored = await t.services.orders.get(order._id);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.payment.status).toBe('refunded');
    expect(await stock()).toBe(4);
  });

  it('refunds a paid order (stock back once, even twice concurrently) and a fulfilled one (stock back only if returned)', async () => {
    const paid = await placeOrder(t, { stock: 6, qty: 2, status: 'paid' });
    const page = await staff.get(`/admin/orders/${paid.order.number}`);
    const results = await Promise.all([staff.submitForm(page, 'form.refund-form'), staff.submitForm(page, 'form.refund-form')]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await statusOf(t, paid.order._id)).toBe('refunded');
    expect(await paid.stock()).toBe(6);

    for (const returned of [false, true]) {
      const shipped = await placeOrder(t, { stock: 6, qty: 2, status: 'paid' });
      await t.services.adminOrders.fulfil({ id: 'x', email: 'staff@example.com', ip: '127.0.0.1' }, shipped.order.number, { carrier: 'DHL', code: 'D1', url: '' });
      const detail = await staff.get(`/admin/orders/${shipped.order.number}`);
      const done = await staff.submitForm(detail, 'form.refund-form', returned ? { returned: 'on' } : {});
      expect(done.status).toBe(303);
      expect(await statusOf(t, shipped.order._id)).toBe('refunded');
      expect(await shipped.stock(), `returned=${returned}`).toBe(returned ? 6 : 4);
    }
  });

  it('refuses every transition that is not an allowed edge, and changes nothing', async () => {
    const forbidden: Record<OrderStatus, string[]> = {
      pending_payment: ['complete', 'refund', 'fulfil'],
      paid: ['paid', 'complete'],
      fulfilled: ['paid', 'cancel', 'fulfil'],
      completed: ['paid', 'cancel', 'refund', 'complete', 'fulfil'],
      cancelled: ['paid', 'cancel', 'refund', 'complete', 'fulfil'],
      refunded: ['paid', 'cancel', 'refund', 'complete', 'fulfil'],
    };
    const token = csrfOf(await staff.get('/admin/orders'));
    for (const [status, actions] of Object.entries(forbidden) as [OrderStatus, string[]][]) {
      const order = await insertOrder(t.db, { placedAt: new Date(), total: 1000, status });
      for (const action of actions) {
        const page = await staff.post(`/admin/orders/${order.number}/${action}`, { _csrf: token, carrier: 'X', code: 'Y' });
        expect(page.status, `${status} → ${action}`).toBe(409);
        expect(await statusOf(t, order._id), `${status} → ${action}`).toBe(status);
      }
      expect(await auditFor(t, order.number ?? 0)).toEqual([]);
    }
  });

  it('needs the CSRF token and a staff role for every order form', async () => {
    const { order } = await placeOrder(t);
    for (const action of ['paid', 'cancel', 'refund', 'complete', 'fulfil', 'notes']) {
      expect((await staff.post(`/admin/orders/${order.number}/${action}`, { carrier: 'X', code: 'Y', note: 'n' })).status, action).toBe(403);
      const token = csrfOf(await customer.get('/account'));
      expect((await customer.post(`/admin/orders/${order.number}/${action}`, { _csrf: token, carrier: 'X', code: 'Y', note: 'n' })).status, action).toBe(403);
    }
    expect(await statusOf(t, order._id)).toBe('pending_payment');
    expect((await staff.get('/admin/orders/999999999')).status).toBe(404);
    expect((await staff.get('/admin/orders/abc')).status).toBe(422);
  });

  it('keeps internal notes on the timeline, for staff only', async () => {
    const { order } = await placeOrder(t);
    const page = await staff.get(`/admin/orders/${order.number}`);
    const empty = await staff.submitForm(page, 'form.note-form', { note: '   ' });
    expect(empty.status).toBe(422);
    expect(text(empty, '#e-note')).toBe('Write the note first.');
    const long = await staff.submitForm(page, 'form.note-form', { note: 'x'.repeat(2001) });
    expect(long.status).toBe(422);
    const done = await staff.submitForm(page, 'form.note-form', { note: 'Customer called: gift wrap <please>' });
    expect(done.status).toBe(303);
    const after = await staff.get(`/admin/orders/${order.number}`);
    expect(after.html().querySelectorAll('.timeline .note-text').map((n) => n.text)).toEqual(['Customer called: gift wrap <please>']);
    expect((await auditFor(t, order.number)).map((a) => a.action)).toEqual(['order.note']);
    const links = t.services.orders.links();
    const theirs = await customer.get(links?.orderPath(order._id.toHexString()) ?? '');
    expect(theirs.body).not.toContain('gift wrap');
  });
});
