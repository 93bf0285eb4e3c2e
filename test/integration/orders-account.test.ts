import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { insertProduct, PT_ADDRESS, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOOD_PASSWORD, register, uniqueEmail } from './accounts-fixtures.js';

/** A customer's orders in the account: checkout from the address book, history, detail, deletion. */

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

async function userIdOf(email: string): Promise<ObjectId> {
  const user = await t.db.collection('users').findOne({ email });
  if (!user) throw new Error('no user');
  return user._id as ObjectId;
}

/** Registers, saves an address, checks out with the saved address; returns the agent and the order id. */
async function customerWithOrder(email: string): Promise<{ agent: TestAgent; orderId: string }> {
  const agent = new TestAgent(t.app);
  await register(agent, { email });
  await t.services.accounts.saveAddress((await userIdOf(email)).toHexString(), null, { ...PT_ADDRESS, fullName: 'Rita Saved', line1: 'Rua do Ouro 5' }, { defaultShipping: true, defaultBilling: true });
  const p = await insertProduct(t.db, { title: 'Cork notebook', price: 1200, variants: [{ stock: 5 }] });
  await addToCart(agent, variantOf(p)._id.toHexString(), '1');

  let page = await agent.get('/checkout', { follow: true });
  expect(page.html().querySelector('input[name=email]')?.getAttribute('value')).toBe(email);
  page = await agent.submitForm(page, 'form.contact-form', {}, { follow: true });
  expect(page.url).toBe('/checkout/address');
  // The address book: the default address pre-fills the form and can be picked in one click.
  expect(page.html().querySelector('form.address-form input[name=line1]')?.getAttribute('value')).toBe('Rua do Ouro 5');
  const saved = page.html().querySelectorAll('form.saved-address-form');
  expect(saved).toHaveLength(1);
  expect(saved[0]?.querySelector('address')?.text).toContain('Rita Saved');
  page = await agent.submitForm(page, 'form.saved-address-form', {}, { follow: true });
  expect(page.url).toBe('/checkout/shipping');
  page = await agent.submitForm(page, 'form.shipping-form', { method: 'standard' }, { follow: true });
  page = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
  const done = await agent.submitForm(page, 'form.place-form', { paymentMethod: 'cash_on_delivery' });
  const orderId = /\/checkout\/done\/([0-9a-f]{24})$/.exec(done.location ?? '')?.[1];
  if (!orderId) throw new Error(`not placed: ${done.status} ${done.location ?? ''}`);
  return { agent, orderId };
}

describe('orders in the account', () => {
  it('lists the order with its translated status and shows its full page to the owner only', async () => {
    const email = uniqueEmail('orders');
    const { agent, orderId } = await customerWithOrder(email);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ _id: new ObjectId(orderId) });
    expect(order?.address.fullName).toBe('Rita Saved');
    expect(order?.userId?.equals(await userIdOf(email))).toBe(true);

    const list = await agent.get('/account/orders');
    const rows = list.html().querySelectorAll('table.orders tbody tr');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.querySelector('a')?.text).toBe(String(order?.number));
    expect(rows[0]?.querySelectorAll('td')[2]?.text).toBe('Awaiting payment');

    const detail = await agent.get(`/account/orders/${orderId}`);
    expect(detail.status).toBe(200);
    expect(detail.html().querySelector('h1')?.text).toBe(`Order ${String(order?.number)}`);
    expect(detail.html().querySelector('nav.account-nav')).not.toBeNull();
    expect(detail.html().querySelector('.order-lines td')?.text).toContain('Cork notebook');
    expect(detail.html().querySelector('form.cancel-form')).not.toBeNull();

    // Another customer, and a visitor who is not signed in, do not get it.
    const other = new TestAgent(t.app);
    await register(other, { email: uniqueEmail('other') });
    expect((await other.get(`/account/orders/${orderId}`)).status).toBe(404);
    expect((await other.get(`/orders/${orderId}`)).status).toBe(404);
    expect((await other.get('/account/orders')).html().querySelectorAll('table.orders tbody tr')).toHaveLength(0);
    expect((await new TestAgent(t.app).get(`/account/orders/${orderId}`)).location).toMatch(/^\/login/);
  });

  it('deleting the account keeps the order for the books without the personal data', async () => {
    const email = uniqueEmail('leaving');
    const { agent, orderId } = await customerWithOrder(email);
    const form = await agent.get('/account/delete');
    const deleted = await agent.submitForm(form, 'form.delete-form', { deletePassword: GOOD_PASSWORD });
    expect(deleted.status).toBe(303);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ _id: new ObjectId(orderId) });
    expect(order?.email).not.toContain('leaving');
    expect(order?.address).toMatchObject({ fullName: '-', line1: '-', phone: '', postalCode: '', country: 'PT' });
    expect(order?.anonymisedAt).toBeInstanceOf(Date);
    expect(order?.total.amount).toBe(1695);
    expect(order?.lines[0]?.title.en).toBe('Cork notebook');
    expect(JSON.stringify(order)).not.toContain('Rita Saved');
  });
});
