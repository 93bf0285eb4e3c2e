import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';

/** The header's cart badge: on the 422 pages of the cart and checkout forms too, and none for an empty cart. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const badge = (page: Page): string | undefined => page.html().querySelector('.cart-link .badge')?.text.trim();
const tokenOf = (page: Page): string => page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';

async function agentWithItems(qty: string): Promise<{ agent: TestAgent; variantId: string; token: string }> {
  const p = await insertProduct(t.db, { price: 1200, variants: [{ stock: 9 }] });
  const variantId = variantOf(p)._id.toHexString();
  const agent = new TestAgent(t.app);
  const token = tokenOf(await agent.get('/login'));
  expect((await agent.post('/cart/items', { variantId, quantity: qty, _csrf: token })).status).toBe(303);
  return { agent, variantId, token: tokenOf(await agent.get('/cart')) };
}

describe('header cart count', () => {
  it('is on the 422 pages of the cart forms (schema refused before any handler ran)', async () => {
    const { agent, variantId, token } = await agentWithItems('3');
    const bad = await agent.post('/cart/update', { variantId, qty: 'lots', _csrf: token });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('h1')).not.toBeNull();
    expect(badge(bad)).toBe('3 items');
    const badAdd = await agent.post('/cart/items', { variantId: 'nope', _csrf: token });
    expect(badAdd.status).toBe(422);
    expect(badge(badAdd)).toBe('3 items');
  });

  it('is on the 422 pages of the checkout steps and of the place-order form', async () => {
    const { agent } = await agentWithItems('2');
    const contact = await agent.get('/checkout/contact');
    expect(badge(contact)).toBe('2 items');
    const bad = await agent.submitForm(contact, 'form.contact-form', { email: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('input[name=email]')?.getAttribute('value')).toBe('not-an-email');
    expect(badge(bad)).toBe('2 items');
    const badPlace = await agent.post('/checkout/place', { token: 'short', _csrf: tokenOf(contact) });
    expect(badPlace.status).toBe(422);
    expect(badge(badPlace)).toBe('2 items');
  });

  it('shows no badge once the order is placed and the cart is empty', async () => {
    const { agent } = await agentWithItems('1');
    let page = await agent.get('/checkout', { follow: true });
    page = await agent.submitForm(page, 'form.contact-form', { email: 'badge@example.com' }, { follow: true });
    page = await agent.submitForm(page, 'form.address-form', { fullName: 'Ana Silva', line1: 'Rua Augusta 10', city: 'Lisboa', postalCode: '1100-148', country: 'PT' }, { follow: true });
    page = await agent.submitForm(page, 'form.shipping-form', { method: 'standard' }, { follow: true });
    page = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
    expect(page.url).toBe('/checkout/review');
    expect(badge(page)).toBe('1 item');
    const done = await agent.submitForm(page, 'form.place-form', { paymentMethod: 'bank_transfer' }, { follow: true });
    expect(done.html().querySelector('.order-number')).not.toBeNull();
    for (const after of [done, await agent.get('/'), await agent.get('/cart')]) {
      expect(after.html().querySelector('.cart-link'), after.url).not.toBeNull();
      expect(after.html().querySelector('.cart-link .badge'), after.url).toBeNull();
    }
  });
});
