import { ObjectId } from 'mongodb';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartDoc } from '../../src/modules/cart/types.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type FormValues, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { register, uniqueEmail } from './accounts-fixtures.js';

/** The checkout's address step on invalid input, the confirmation's account offer, and the guest's emailed order link. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const GOOD_ADDRESS = { fullName: 'Ana Silva', line1: 'Rua Augusta 10', line2: '', city: 'Lisboa', region: '', postalCode: '1100-148', country: 'PT', phone: '' };

async function addToCart(agent: TestAgent, variantId: string, qty: string): Promise<void> {
  // The session's token from the first of these pages with a POST form (an empty cart has none).
  let token = '';
  for (const path of ['/cart', '/login', '/account']) {
    token = (await agent.get(path)).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    if (token) break;
  }
  expect((await agent.post('/cart/add', { variantId, qty, _csrf: token })).status).toBe(303);
}

/** An agent with one item in the cart, past the contact step (email given unless signed in): the address page. */
async function atAddressStep(agent: TestAgent, email?: string): Promise<{ page: Page; variantId: string }> {
  const p = await insertProduct(t.db, { title: 'Linen apron', price: 2400, variants: [{ stock: 6 }] });
  const variantId = variantOf(p)._id.toHexString();
  await addToCart(agent, variantId, '1');
  const contact = await agent.get('/checkout', { follow: true });
  expect(contact.url).toBe('/checkout/contact');
  const page = await agent.submitForm(contact, 'form.contact-form', email === undefined ? {} : { email }, { follow: true });
  expect(page.url).toBe('/checkout/address');
  return { page, variantId };
}

/** Address, shipping, discount and review; places the order. Returns the confirmation page and the order id. */
async function placeFrom(agent: TestAgent, address: Page): Promise<{ done: Page; orderId: string }> {
  let page = await agent.submitForm(address, 'form.address-form', GOOD_ADDRESS, { follow: true });
  expect(page.url).toBe('/checkout/shipping');
  page = await agent.submitForm(page, 'form.shipping-form', { method: 'standard' }, { follow: true });
  page = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
  expect(page.url).toBe('/checkout/review');
  const placed = await agent.submitForm(page, 'form.place-form', { paymentMethod: 'bank_transfer' });
  const orderId = /^\/checkout\/done\/([0-9a-f]{24})$/.exec(placed.location ?? '')?.[1];
  if (!orderId) throw new Error(`not placed: ${placed.status} ${placed.location ?? ''}`);
  const done = await agent.follow(placed);
  expect(done.status).toBe(200);
  return { done, orderId };
}

async function cartHolding(variantId: string): Promise<CartDoc> {
  const cart = await t.db.collection<CartDoc>('carts').findOne({ 'lines.variantId': new ObjectId(variantId) });
  if (!cart) throw new Error('no cart');
  return cart;
}

/** The message beside a field of the address form: inside the field's wrapper, named by the control's aria-describedby. */
function fieldError(page: Page, name: string): string | undefined {
  const control = page.html().querySelector(`form.address-form [name=${name}]`);
  if (!control) throw new Error(`no control ${name}`);
  const message = control.closest('.field')?.querySelector('.field-error');
  if (!message) return undefined;
  expect(message.getAttribute('id')).toBe(`e-${name}`);
  expect(control.getAttribute('aria-describedby')).toBe(`e-${name}`);
  expect(control.getAttribute('aria-invalid')).toBe('true');
  return message.text.trim();
}

const valueOf = (page: Page, name: string): string | undefined => page.html().querySelector(`form.address-form input[name=${name}]`)?.getAttribute('value');
const selectedCountry = (page: Page): string | undefined => page.html().querySelector('form.address-form select[name=country] option[selected]')?.getAttribute('value');
const erroredFields = (page: Page): string[] =>
  page.html().querySelectorAll('form.address-form .field.has-error').map((f) => f.querySelector('input, select')?.getAttribute('name') ?? '?');

describe('checkout address step: invalid input', () => {
  it('missing required fields: 422, the message beside each field, the other input kept, nothing stored', async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('addr-required');
    const { page, variantId } = await atAddressStep(agent, email);
    const bad = await agent.submitForm(page, 'form.address-form', { fullName: ' ', line1: '', line2: 'Flat 2', city: '', postalCode: '', country: 'PT', phone: '+351 912 345 678' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('h1')?.text).toBe('Address');
    expect(erroredFields(bad).sort()).toEqual(['city', 'fullName', 'line1', 'postalCode']);
    for (const name of ['fullName', 'line1', 'city', 'postalCode']) expect(fieldError(bad, name), name).toBe('This field is required.');
    expect(fieldError(bad, 'line2')).toBeUndefined();
    expect(valueOf(bad, 'line2')).toBe('Flat 2');
    expect(valueOf(bad, 'phone')).toBe('+351 912 345 678');
    expect(selectedCountry(bad)).toBe('PT');

    // A field left out of the body altogether (not a browser, but possible): refused by the schema, same message.
    const token = page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    const absent = await agent.post('/checkout/address', { fullName: 'Ana Silva', line1: 'Rua Augusta 10', postalCode: '1100-148', country: 'PT', _csrf: token });
    expect(absent.status).toBe(422);
    expect(erroredFields(absent)).toEqual(['city']);
    expect(fieldError(absent, 'city')).toBe('This field is required.');
    expect(valueOf(absent, 'fullName')).toBe('Ana Silva');
    expect(valueOf(absent, 'line1')).toBe('Rua Augusta 10');
    expect(valueOf(absent, 'postalCode')).toBe('1100-148');

    expect((await cartHolding(variantId)).checkout).toEqual({ email });
    expect((await agent.get('/checkout/shipping')).location).toBe('/checkout/address');
  });

  it.each([
    { country: 'BR', city: 'São Paulo', region: 'SP', postalCode: '1310-100', example: '01310-100' },
    { country: 'US', city: 'San Francisco', region: 'CA', postalCode: '9410', example: '94103 / 94103-1234' },
    { country: 'ES', city: 'Madrid', region: '', postalCode: '53001', example: '28013' },
    { country: 'PT', city: 'Lisboa', region: '', postalCode: '1100148', example: '1100-148' },
  ])('a $country postal code in the wrong format ($postalCode): 422 with the format beside the field, input kept', async ({ country, city, region, postalCode, example }) => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail(`addr-${country.toLowerCase()}`);
    const { page, variantId } = await atAddressStep(agent, email);
    const values: FormValues = { ...GOOD_ADDRESS, city, region, postalCode, country, line2: 'Apt 4' };
    const bad = await agent.submitForm(page, 'form.address-form', values);
    expect(bad.status).toBe(422);
    expect(erroredFields(bad)).toEqual(['postalCode']);
    expect(fieldError(bad, 'postalCode')).toBe(`This postal code does not look right for the country (example: ${example}).`);
    for (const name of ['fullName', 'line1', 'line2', 'city', 'region', 'postalCode']) expect(valueOf(bad, name), name).toBe(values[name]);
    // The country stays chosen where the shop ships there (BR, ES, PT); US is not in its list at all.
    expect(selectedCountry(bad)).toBe(country === 'US' ? undefined : country);
    expect((await cartHolding(variantId)).checkout).toEqual({ email });
  });

  it('a country the shop does not ship to (or no country at all): 422 with the message beside the country', async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('addr-country');
    const { page, variantId } = await atAddressStep(agent, email);
    const options = page.html().querySelectorAll('form.address-form select[name=country] option').map((o) => o.getAttribute('value'));
    expect(options).toContain('PT');
    expect(options).not.toContain('GB');
    expect(options).not.toContain('US');

    const cases = [
      { values: { country: 'GB', city: 'London', postalCode: 'SW1A 1AA' }, message: 'We do not deliver to this country.' },
      { values: { country: 'US', city: 'San Francisco', region: 'CA', postalCode: '94103' }, message: 'We do not deliver to this country.' },
      { values: { country: 'XX' }, message: 'Choose a country from the list.' },
    ];
    for (const { values, message } of cases) {
      const bad = await agent.submitForm(page, 'form.address-form', { ...GOOD_ADDRESS, ...values });
      expect(bad.status, values.country).toBe(422);
      expect(erroredFields(bad), values.country).toEqual(['country']);
      expect(fieldError(bad, 'country'), values.country).toBe(message);
      expect(valueOf(bad, 'fullName')).toBe(GOOD_ADDRESS.fullName);
      expect(valueOf(bad, 'line1')).toBe(GOOD_ADDRESS.line1);
      expect(valueOf(bad, 'postalCode')).toBe(values.postalCode ?? GOOD_ADDRESS.postalCode);
      expect(valueOf(bad, 'city')).toBe(values.city ?? GOOD_ADDRESS.city);
    }
    expect((await cartHolding(variantId)).checkout).toEqual({ email });

    // The same form with a country the shop ships to goes on, and only then is the address stored.
    const ok = await agent.submitForm(page, 'form.address-form', GOOD_ADDRESS);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/checkout/shipping');
    expect((await cartHolding(variantId)).checkout.address).toMatchObject({ fullName: 'Ana Silva', postalCode: '1100-148', country: 'PT' });
  });
});

describe('order confirmation: the account offer', () => {
  it("a guest's confirmation offers to create an account, linking to the registration form with the order's email", async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('offer');
    const { page } = await atAddressStep(agent, email);
    const { done } = await placeFrom(agent, page);
    expect(done.html().querySelector('.order-number')?.text).toMatch(/^Your order number is \d+\.$/);
    const offer = done.html().querySelector('.confirmation .account-offer');
    expect(offer).not.toBeNull();
    expect(offer?.querySelector('p')?.text.trim()).toBe('Create an account to follow your orders and check out faster next time.');
    const link = offer?.querySelector('a');
    expect(link?.text.trim()).toBe('Create an account');
    expect(link?.getAttribute('href')).toBe(`/register?email=${encodeURIComponent(email)}`);

    const target = await agent.get(link?.getAttribute('href') ?? '');
    expect(target.status).toBe(200);
    expect(target.html().querySelector('form.register-form input[name=email]')?.getAttribute('value')).toBe(email);
  });

  it("a signed-in customer's confirmation does not show the offer", async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('no-offer');
    expect((await register(agent, { email })).status).toBe(303);
    const { page } = await atAddressStep(agent);
    const { done, orderId } = await placeFrom(agent, page);
    expect(done.html().querySelector('.order-number')).not.toBeNull();
    expect(done.html().querySelector('.account-offer')).toBeNull();
    expect(done.html().querySelectorAll('.confirmation a').map((a) => a.getAttribute('href') ?? '').filter((h) => h.startsWith('/register'))).toEqual([]);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ _id: new ObjectId(orderId) });
    expect(order?.email).toBe(email);
    expect(order?.userId).toBeInstanceOf(ObjectId);
  });
});

describe("the guest's order confirmation email", () => {
  it('holds the signed order link, which opens the order without a session; an altered signature is 404', async () => {
    const agent = new TestAgent(t.app);
    const email = uniqueEmail('mail-link');
    const { page } = await atAddressStep(agent, email);
    const { orderId } = await placeFrom(agent, page);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ _id: new ObjectId(orderId) });
    if (!order) throw new Error('no order');

    const mails = await t.db.collection('outbox').find({ to: email, template: 'order-confirmation' }).toArray();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    const hrefs = parse(String(mail?.html)).querySelectorAll('a').map((a) => a.getAttribute('href') ?? '');
    const links = hrefs.filter((h) => h.includes('/orders/'));
    expect(links).toHaveLength(1);
    const url = new URL(links[0] ?? '');
    expect(`${url.protocol}//${url.host}`).toBe(t.config.baseUrl);
    expect(url.pathname).toBe(`/orders/${orderId}`);
    const sig = url.searchParams.get('sig') ?? '';
    expect(sig).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The plain-text part carries the same link.
    expect(String(mail?.text).split('\n').map((l) => l.trim())).toContain(url.href);

    const stranger = new TestAgent(t.app);
    const path = url.pathname + url.search;
    const shown = await stranger.get(path);
    expect(shown.status).toBe(200);
    expect(shown.html().querySelector('.order-page h1')?.text).toBe(`Order ${String(order.number)}`);
    expect(shown.html().querySelector('.order-lines td')?.text).toContain('Linen apron');

    const altered = `${url.pathname}?sig=${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect((await new TestAgent(t.app).get(altered)).status).toBe(404);
    expect((await new TestAgent(t.app).get(`${url.pathname}?sig=${sig.slice(0, -1)}`)).status).toBe(404);
  });
});
