import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartDoc } from '../../src/modules/cart/types.js';
import { GUEST_CART_DAYS } from '../../src/modules/cart/service.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOOD_PASSWORD, login, logout, register, uniqueEmail } from './accounts-fixtures.js';

/** The cart page's line forms (quantity, remove) over HTTP, and the expiry of abandoned guest carts. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const carts = () => t.db.collection<CartDoc>('carts');
const badge = (page: Page): string | undefined => page.html().querySelector('.cart-link .badge')?.text.trim();
const line = (page: Page, variantId: string) => page.html().querySelector(`tr.cart-line[data-variant="${variantId}"]`);
const qtyOf = (page: Page, variantId: string): string | undefined => line(page, variantId)?.querySelector('input[name=qty]')?.getAttribute('value');
const lineTotalOf = (page: Page, variantId: string): string | undefined => line(page, variantId)?.querySelector('.line-total')?.text.trim();
const subtotal = (page: Page): string | undefined => page.html().querySelector('.cart-subtotal strong')?.text.trim();
const flash = (page: Page, type: string): string | undefined => page.html().querySelector(`.flash-${type}`)?.text.trim();

async function addToCart(agent: TestAgent, variantId: string, qty: string): Promise<Page> {
  // The session's token from the first of these pages with a POST form (an empty cart has none).
  let token = '';
  for (const path of ['/cart', '/login', '/account']) {
    token = (await agent.get(path)).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    if (token) break;
  }
  const res = await agent.post('/cart/add', { variantId, qty, _csrf: token });
  expect(res.status).toBe(303);
  return res;
}

/** A guest agent holding two products: 2 × €12.50 (stock 5) and 1 × €4.00 (stock 9). */
async function guestWithTwoLines(): Promise<{ agent: TestAgent; a: string; b: string }> {
  const pa = await insertProduct(t.db, { title: 'Canvas tote', price: 1250, variants: [{ stock: 5 }] });
  const pb = await insertProduct(t.db, { title: 'Enamel pin', price: 400, variants: [{ stock: 9 }] });
  const a = variantOf(pa)._id.toHexString();
  const b = variantOf(pb)._id.toHexString();
  const agent = new TestAgent(t.app);
  await addToCart(agent, a, '2');
  await addToCart(agent, b, '1');
  const cart = await agent.get('/cart');
  expect(qtyOf(cart, a)).toBe('2');
  expect(qtyOf(cart, b)).toBe('1');
  expect(badge(cart)).toBe('3 items');
  return { agent, a, b };
}

/** The guest cart holding this test's own product. */
async function guestCartOf(variantId: string): Promise<CartDoc> {
  const cart = await carts().findOne({ userId: null, 'lines.variantId': new ObjectId(variantId) });
  if (!cart) throw new Error(`no guest cart holds ${variantId}`);
  return cart;
}

describe('cart line forms', () => {
  it('changing a quantity answers 303 to /cart, which shows the new quantity, totals and badge', async () => {
    const { agent, a, b } = await guestWithTwoLines();
    const cart = await agent.get('/cart');
    const res = await agent.submitForm(cart, `tr.cart-line[data-variant="${a}"] form.qty-form`, { qty: '4' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/cart');
    const after = await agent.follow(res);
    expect(after.status).toBe(200);
    expect(qtyOf(after, a)).toBe('4');
    expect(lineTotalOf(after, a)).toBe('€50.00');
    expect(qtyOf(after, b)).toBe('1');
    expect(lineTotalOf(after, b)).toBe('€4.00');
    expect(subtotal(after)).toBe('€54.00');
    expect(badge(after)).toBe('5 items');
    expect(flash(after, 'success')).toBe('Your cart was updated.');
    expect((await guestCartOf(a)).lines.map((l) => l.qty)).toEqual([4, 1]);

    // Lowering it works the same way.
    const lower = await agent.follow(await agent.submitForm(after, `tr.cart-line[data-variant="${a}"] form.qty-form`, { qty: '1' }));
    expect(qtyOf(lower, a)).toBe('1');
    expect(subtotal(lower)).toBe('€16.50');
    expect(badge(lower)).toBe('2 items');
  });

  it('caps a quantity above the stock at the stock, with a visible message', async () => {
    const { agent, a, b } = await guestWithTwoLines();
    const cart = await agent.get('/cart');
    const res = await agent.submitForm(cart, `tr.cart-line[data-variant="${a}"] form.qty-form`, { qty: '40' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/cart');
    const after = await agent.follow(res);
    expect(flash(after, 'info')).toBe('Only 5 are in stock: your cart now holds that many.');
    expect(after.html().querySelector('.flash-success')).toBeNull();
    expect(qtyOf(after, a)).toBe('5');
    expect(lineTotalOf(after, a)).toBe('€62.50');
    expect(qtyOf(after, b)).toBe('1');
    expect(subtotal(after)).toBe('€66.50');
    expect(badge(after)).toBe('6 items');
    // Capped, so the line is orderable: no "lower the quantity" problem on it.
    expect(line(after, a)?.querySelector('.line-problem')).toBeNull();
  });

  it('removing a line removes it and updates the badge; no badge once the cart is empty', async () => {
    const { agent, a, b } = await guestWithTwoLines();
    const cart = await agent.get('/cart');
    const res = await agent.submitForm(cart, `tr.cart-line[data-variant="${a}"] form.remove-form`);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/cart');
    const after = await agent.follow(res);
    expect(flash(after, 'success')).toBe('The item was removed from your cart.');
    expect(line(after, a)).toBeNull();
    expect(after.html().querySelectorAll('tr.cart-line')).toHaveLength(1);
    expect(qtyOf(after, b)).toBe('1');
    expect(subtotal(after)).toBe('€4.00');
    expect(badge(after)).toBe('1 item');

    const empty = await agent.follow(await agent.submitForm(after, `tr.cart-line[data-variant="${b}"] form.remove-form`));
    expect(empty.html().querySelectorAll('tr.cart-line')).toHaveLength(0);
    expect(empty.html().querySelector('.cart-empty')).not.toBeNull();
    expect(empty.html().querySelector('.cart-link')).not.toBeNull();
    expect(badge(empty)).toBeUndefined();
    expect(badge(await agent.get('/'))).toBeUndefined();
  });

  it('setting a quantity of 0 removes the line too', async () => {
    const { agent, a, b } = await guestWithTwoLines();
    const after = await agent.submitForm(await agent.get('/cart'), `tr.cart-line[data-variant="${b}"] form.qty-form`, { qty: '0' }, { follow: true });
    expect(line(after, b)).toBeNull();
    expect(qtyOf(after, a)).toBe('2');
    expect(badge(after)).toBe('2 items');
    expect(flash(after, 'success')).toBe('The item was removed from your cart.');
  });

  it('refuses an update or a removal without the CSRF token with 403, and changes nothing', async () => {
    const { agent, a, b } = await guestWithTwoLines();
    const before = await guestCartOf(a);
    const cart = await agent.get('/cart');
    // The forms as a browser would send them, minus the token.
    const update = await agent.submitForm(cart, `tr.cart-line[data-variant="${a}"] form.qty-form`, { qty: '4', _csrf: [] });
    expect(update.status).toBe(403);
    expect(update.location).toBeUndefined();
    const remove = await agent.submitForm(cart, `tr.cart-line[data-variant="${b}"] form.remove-form`, { _csrf: [] });
    expect(remove.status).toBe(403);
    // A token that is not the session's is refused the same way.
    expect((await agent.post('/cart/update', { variantId: a, qty: '4', _csrf: 'not-the-token' })).status).toBe(403);

    const stored = await guestCartOf(a);
    expect(stored.lines.map((l) => [l.variantId.toHexString(), l.qty])).toEqual([[a, 2], [b, 1]]);
    expect(stored.updatedAt).toEqual(before.updatedAt);
    const page = await agent.get('/cart');
    expect(qtyOf(page, a)).toBe('2');
    expect(qtyOf(page, b)).toBe('1');
    expect(badge(page)).toBe('3 items');
    expect(page.html().querySelector('.flash')).toBeNull();
  });
});

describe('abandoned guest carts expire', () => {
  const DAY = 24 * 3600 * 1000;

  it('the carts collection has a TTL index on expiresAt that expires at the stored date', async () => {
    const indexes = await carts().indexes();
    const ttl = indexes.filter((i) => i.expireAfterSeconds !== undefined);
    expect(ttl).toHaveLength(1);
    expect(ttl[0]?.key).toEqual({ expiresAt: 1 });
    expect(ttl[0]?.expireAfterSeconds).toBe(0);
  });

  it('a guest cart expires the guest cart lifetime after its last change', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 9 }] });
    const v = variantOf(p)._id.toHexString();
    const agent = new TestAgent(t.app);
    const start = Date.now();
    await addToCart(agent, v, '1');
    const created = await guestCartOf(v);
    expect(created.userId).toBeNull();
    expect(created.expiresAt).toBeInstanceOf(Date);
    expect(created.expiresAt?.getTime()).toBeGreaterThanOrEqual(start + GUEST_CART_DAYS * DAY);
    expect(created.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + GUEST_CART_DAYS * DAY);

    // A later change pushes the expiry out again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const changed = Date.now();
    await agent.submitForm(await agent.get('/cart'), `tr.cart-line[data-variant="${v}"] form.qty-form`, { qty: '3' });
    const updated = await guestCartOf(v);
    expect(updated.lines[0]?.qty).toBe(3);
    expect(updated.expiresAt?.getTime()).toBeGreaterThanOrEqual(changed + GUEST_CART_DAYS * DAY);
    expect(updated.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + GUEST_CART_DAYS * DAY);
  });

  it("a signed-in customer's cart has no expiry, also after a guest cart merged into it at login", async () => {
    const a = await insertProduct(t.db, { variants: [{ stock: 9 }] });
    const b = await insertProduct(t.db, { variants: [{ stock: 9 }] });
    const va = variantOf(a)._id.toHexString();
    const vb = variantOf(b)._id.toHexString();
    const email = uniqueEmail('ttl');
    const agent = new TestAgent(t.app);
    expect((await register(agent, { email })).status).toBe(303);
    const user = await t.db.collection('users').findOne({ email });
    if (!user) throw new Error('not registered');
    const userId = user._id as ObjectId;

    await addToCart(agent, va, '1');
    const saved = await carts().findOne({ userId });
    expect(saved?.lines).toHaveLength(1);
    expect(saved?.expiresAt).toBeNull();

    await logout(agent);
    await addToCart(agent, vb, '2');
    const guest = await guestCartOf(vb);
    expect(guest.expiresAt).toBeInstanceOf(Date);

    const signedIn = await login(agent, email, GOOD_PASSWORD, { next: '/cart' });
    const cart = await agent.follow(signedIn);
    expect(qtyOf(cart, va)).toBe('1');
    expect(qtyOf(cart, vb)).toBe('2');
    const merged = await carts().findOne({ userId });
    expect(merged?._id.equals(saved?._id ?? new ObjectId())).toBe(true);
    expect(merged?.lines.map((l) => l.qty)).toEqual([1, 2]);
    expect(merged?.expiresAt).toBeNull();
    expect(await carts().findOne({ _id: guest._id })).toBeNull();

    // Changing the merged cart keeps it without an expiry.
    await agent.submitForm(cart, `tr.cart-line[data-variant="${vb}"] form.qty-form`, { qty: '3' });
    const changed = await carts().findOne({ userId });
    expect(changed?.lines.map((l) => l.qty)).toEqual([1, 3]);
    expect(changed?.expiresAt).toBeNull();
  });

  it('a guest cart merged into a customer with no saved cart yet becomes a cart without expiry', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 9 }] });
    const v = variantOf(p)._id.toHexString();
    const email = uniqueEmail('ttl-new');
    const agent = new TestAgent(t.app);
    await register(agent, { email });
    await logout(agent);
    await addToCart(agent, v, '2');
    const guest = await guestCartOf(v);
    await agent.follow(await login(agent, email, GOOD_PASSWORD, { next: '/cart' }));
    const user = await t.db.collection('users').findOne({ email });
    const mine = await carts().find({ userId: user?._id as ObjectId }).toArray();
    expect(mine).toHaveLength(1);
    expect(mine[0]?.lines.map((l) => [l.variantId.toHexString(), l.qty])).toEqual([[v, 2]]);
    expect(mine[0]?.expiresAt).toBeNull();
    expect(await carts().countDocuments({ _id: guest._id })).toBe(0);
  });
});
