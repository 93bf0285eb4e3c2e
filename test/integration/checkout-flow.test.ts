import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, stockOf, variantOf } from '../fixtures/shop-data.js';

/** The whole guest journey through the real app: forms only, as with JavaScript off. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function addToCart(agent: TestAgent, variantId: string, qty: string): Promise<Page> {
  // The session's token from the first of these pages with a POST form (an empty cart has none).
  let token = '';
  for (const path of ['/cart', '/login', '/account']) {
    token = (await agent.get(path)).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    if (token) break;
  }
  return agent.post('/cart/add', { variantId, qty, _csrf: token });
}

async function checkoutToReview(agent: TestAgent, email = 'guest@example.com'): Promise<Page> {
  let page = await agent.get('/checkout', { follow: true });
  expect(page.url).toBe('/checkout/contact');
  page = await agent.submitForm(page, 'form.contact-form', { email }, { follow: true });
  expect(page.url).toBe('/checkout/address');
  page = await agent.submitForm(page, 'form.address-form', { fullName: 'Ana Silva', line1: 'Rua Augusta 10', city: 'Lisboa', postalCode: '1100-148', country: 'PT' }, { follow: true });
  expect(page.url).toBe('/checkout/shipping');
  page = await agent.submitForm(page, 'form.shipping-form', { method: 'standard' }, { follow: true });
  expect(page.url).toBe('/checkout/discount');
  page = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
  expect(page.url).toBe('/checkout/review');
  return page;
}

describe('guest checkout over HTTP', () => {
  it('adds two items, checks out with bank transfer, shows the confirmation and files the email', async () => {
    const a = await insertProduct(t.db, { title: 'Linen shirt', price: 3500, variants: [{ stock: 4 }] });
    const b = await insertProduct(t.db, { title: 'Wool scarf', price: 2200, variants: [{ stock: 2 }] });
    const agent = new TestAgent(t.app);
    expect((await addToCart(agent, variantOf(a)._id.toHexString(), '1')).status).toBe(303);
    expect((await addToCart(agent, variantOf(b)._id.toHexString(), '2')).status).toBe(303);
    const cart = await agent.get('/cart');
    expect(cart.html().querySelectorAll('tr.cart-line')).toHaveLength(2);
    expect(cart.html().querySelector('.cart-link .badge')?.text.trim()).toBe('3 items');

    const review = await checkoutToReview(agent, 'ana@example.com');
    // 35 + 44 = 79.00 ≥ 50 → free shipping; PT VAT 23 % included.
    expect(review.html().querySelector('.totals-total dd')?.text).toBe('€79.00');
    expect(review.html().querySelector('.totals-tax dt')?.text).toBe('Includes VAT 23%');

    const placed = await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(placed.status).toBe(303);
    const done = await agent.follow(placed);
    expect(done.status).toBe(200);
    const number = done.html().querySelector('.order-number')?.text ?? '';
    expect(number).toMatch(/Your order number is \d{4}\./);
    expect(done.html().querySelector('.bank-instructions .iban')?.text).toContain('PT50');
    expect(await stockOf(t.db, a)).toBe(3);
    expect(await stockOf(t.db, b)).toBe(0);
    const mail = await t.db.collection('outbox').findOne({ to: 'ana@example.com' });
    expect(mail?.subject).toMatch(/Your order \d{4} is confirmed/);
    expect((await agent.get('/cart')).html().querySelector('.cart-empty')).not.toBeNull();

    // Refresh / double submit of the same review form: the same order, no second one.
    const again = await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(again.location).toBe(placed.location);
    expect(await t.db.collection('orders').countDocuments({ email: 'ana@example.com' })).toBe(1);
  });

  it('re-renders a step with 422 and the message beside the field, keeping the input', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 3 }] });
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    await addToCart(agent, variantOf(p)._id.toHexString(), '1');
    const contact = await agent.get('/checkout/contact');
    const bad = await agent.submitForm(contact, 'form.contact-form', { email: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('#e-email')?.text).toContain('correo válido');
    expect(bad.html().querySelector('input[name=email]')?.getAttribute('value')).toBe('not-an-email');
    // An object where a string belongs is a 422, not a query operator.
    const token = contact.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    const injected = await agent.post('/checkout/contact', { 'email[$ne]': 'x', _csrf: token });
    expect(injected.status).toBe(422);
    // Skipping ahead redirects back to the first unanswered step.
    expect((await agent.get('/checkout/review')).location).toBe('/checkout/contact');
  });

  it('caps the quantity at the stock with a message', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 2 }] });
    const agent = new TestAgent(t.app);
    const res = await addToCart(agent, variantOf(p)._id.toHexString(), '5');
    const cart = await agent.follow(res);
    expect(cart.html().querySelector('.flash-info')?.text).toBe('Only 2 are in stock: your cart now holds that many.');
    expect(cart.html().querySelector('tr.cart-line input[name=qty]')?.getAttribute('value')).toBe('2');
  });

  it('shows a notice when a price changed since the item was added', async () => {
    const p = await insertProduct(t.db, { price: 1000, variants: [{ stock: 5 }] });
    const agent = new TestAgent(t.app);
    await addToCart(agent, variantOf(p)._id.toHexString(), '1');
    await t.db.collection('products').updateOne({ _id: p._id }, { $set: { price: { amount: 1200, currency: 'EUR' } } });
    const cart = await agent.get('/cart');
    expect(cart.html().querySelector('.notice-info')).not.toBeNull();
    expect(cart.html().querySelector('.price-was')?.text).toBe('was €10.00');
    expect(cart.html().querySelector('.line-total')?.text).toBe('€12.00');
    expect((await agent.get('/cart')).html().querySelector('.price-was')).toBeNull();
  });

  it('guest order page: signed link works, tampered link is 404, cancel restores stock once', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 5 }] });
    const agent = new TestAgent(t.app);
    await addToCart(agent, variantOf(p)._id.toHexString(), '2');
    const review = await checkoutToReview(agent, 'cancel@example.com');
    const done = await agent.follow(await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' }));
    const link = done.html().querySelector('a.button.secondary')?.getAttribute('href') ?? '';
    expect(link).toMatch(/^\/orders\/[0-9a-f]{24}\?sig=/);
    const stranger = new TestAgent(t.app);
    const page = await stranger.get(link);
    expect(page.status).toBe(200);
    expect(page.html().querySelector('.order-status strong')?.text).toBe('Awaiting payment');
    const tampered = link.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await stranger.get(tampered)).status).toBe(404);
    expect((await stranger.get(link.split('?')[0] ?? '')).status).toBe(404);
    expect(await stockOf(t.db, p)).toBe(3);
    const cancelled = await stranger.submitForm(page, 'form.cancel-form', {}, { follow: true });
    expect(cancelled.html().querySelector('.order-status strong')?.text).toBe('Cancelled');
    expect(await stockOf(t.db, p)).toBe(5);
    // The same cancel form again: refused, stock unchanged.
    const twice = await stranger.submitForm(page, 'form.cancel-form', {}, { follow: true });
    expect(twice.html().querySelector('.flash-error')).not.toBeNull();
    expect(await stockOf(t.db, p)).toBe(5);
  });
});
