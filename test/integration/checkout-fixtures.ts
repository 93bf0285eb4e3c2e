import { expect } from 'vitest';
import type { Db } from 'mongodb';
import type { CartDoc } from '../../src/modules/cart/types.js';
import type { NewDiscount } from '../../src/modules/checkout/discounts.js';
import { DEFAULT_CHECKOUT_SETTINGS, type CheckoutSettings, type ShippingMethod } from '../../src/modules/checkout/settings.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import type { TestApp } from '../helpers/test-app.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';

/** The checkout steps driven through the real forms, for the checkout rule tests (shipping, discounts, taxes). */

export const ADDRESSES = {
  PT: { fullName: 'Ana Silva', line1: 'Rua Augusta 10', city: 'Lisboa', postalCode: '1100-148', country: 'PT' },
  ES: { fullName: 'Lucía García', line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' },
} as const;

/** Replaces the checkout settings (the shop's one settings document): defaults overridden by `patch`. */
export async function configureCheckout(t: TestApp, patch: Partial<CheckoutSettings>): Promise<void> {
  await t.services.checkout.settingsRepository.replace({ ...DEFAULT_CHECKOUT_SETTINGS, ...patch });
}

/** A courier to Portugal: 5.90, free from 60.00 of goods (after the discount: totals.shippingPrice). */
export const FREE_FROM_60: ShippingMethod = {
  id: 'courier',
  kind: 'flat',
  name: { en: 'Courier', 'pt-BR': 'Courier', es: 'Mensajero' },
  amount: 590,
  freeAbove: 6000,
  countries: ['PT'],
};

let codes = 0;
/** A new discount code (10 % off, no limits worth reaching, unless `rules` says otherwise). */
export async function insertDiscountCode(t: TestApp, rules: Partial<NewDiscount> = {}): Promise<string> {
  const code = `CODE${++codes}X${Date.now() % 100_000}`;
  await t.services.checkout.discounts.insert(
    { code, kind: 'percentage', value: 1000, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 1000, perCustomerLimit: null, active: true, ...rules },
    new Date(),
  );
  return code;
}

/** The price the shipping step shows for the courier, and its "free from" hint (undefined when there is none). */
export function courierOn(shipping: Page): { price: string | undefined; hint: string | undefined } {
  expect(shipping.url).toBe('/checkout/shipping');
  const label = shipping.html().querySelector('label[for=m-courier]');
  const text = (s: string | undefined) => s?.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
  return { price: text(label?.querySelector('.choice-price')?.text), hint: text(label?.querySelector('.hint')?.text) };
}

/** A new guest (these headers sent) whose cart holds `qty` × a new item at `price`, at the shipping step to Portugal. */
export async function guestAtShipping(t: TestApp, price: number, headers: Record<string, string> = {}, qty = '1'): Promise<{ agent: TestAgent; shipping: Page; variantId: string }> {
  const agent = new TestAgent(t.app, headers);
  const p = await insertProduct(t.db, { price, variants: [{ stock: 10 }] });
  const variantId = variantOf(p)._id.toHexString();
  await addToCart(agent, variantId, qty);
  return { agent, shipping: await toShipping(agent, uniqueEmail('checkout'), 'PT'), variantId };
}

/** Adds a variant to the agent's cart through the cart form (the CSRF token from a page with a POST form). */
export async function addToCart(agent: TestAgent, variantId: string, qty = '1'): Promise<void> {
  let token = '';
  for (const path of ['/cart', '/login']) {
    token = (await agent.get(path)).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    if (token) break;
  }
  const res = await agent.post('/cart/add', { variantId, qty, _csrf: token });
  expect(res.status).toBe(303);
}

/** Contact and address steps; returns the shipping step's page. */
export async function toShipping(agent: TestAgent, email: string, country: keyof typeof ADDRESSES): Promise<Page> {
  let page = await agent.get('/checkout', { follow: true });
  expect(page.url).toBe('/checkout/contact');
  page = await agent.submitForm(page, 'form.contact-form', { email }, { follow: true });
  expect(page.url).toBe('/checkout/address');
  page = await agent.submitForm(page, 'form.address-form', { ...ADDRESSES[country] }, { follow: true });
  expect(page.url).toBe('/checkout/shipping');
  expect(page.status).toBe(200);
  return page;
}

/** From the shipping page: chooses `method`, then applies `code` (or skips the discount step); returns the review page. */
export async function shippingToReview(agent: TestAgent, shipping: Page, method: string, code?: string): Promise<Page> {
  let page = await agent.submitForm(shipping, 'form.shipping-form', { method }, { follow: true });
  expect(page.url).toBe('/checkout/discount');
  page = code === undefined
    ? await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true })
    : await agent.submitForm(page, 'form.discount-form', { code }, { follow: true });
  expect(page.url).toBe('/checkout/review');
  expect(page.status).toBe(200);
  return page;
}

/** The values of the radio buttons of the shipping step: the methods offered. */
export function offeredMethods(shipping: Page): string[] {
  return shipping.html().querySelectorAll('form.shipping-form input[name=method]').map((i) => i.getAttribute('value') ?? '');
}

export interface ShownTotals {
  rows: [string, string][];
  discount: string | undefined;
  shipping: string | undefined;
  tax: [string, string] | undefined;
  total: string | undefined;
}

/** The totals list of a page (the review, an order page), as the customer reads it (label → amount). */
export function shownTotals(page: Page): ShownTotals {
  const lists = page.html().querySelectorAll('dl.totals');
  const list = lists[0];
  if (!list || lists.length !== 1) throw new Error(`${lists.length} totals lists on ${page.url}`);
  const rows = list.querySelectorAll('div').map((d): [string, string] => [d.querySelector('dt')?.text.trim() ?? '', d.querySelector('dd')?.text.trim() ?? '']);
  const tax = list.querySelector('.totals-tax');
  return {
    rows,
    discount: list.querySelector('.totals-discount dd')?.text.trim(),
    shipping: rows.find(([label]) => label === 'Shipping')?.[1],
    tax: tax ? [tax.querySelector('dt')?.text.trim() ?? '', tax.querySelector('dd')?.text.trim() ?? ''] : undefined,
    total: list.querySelector('.totals-total dd')?.text.trim(),
  };
}

/** The guest cart whose checkout holds this email (each test uses its own). */
export async function cartOf(db: Db, email: string): Promise<CartDoc> {
  const cart = await db.collection<CartDoc>('carts').findOne({ 'checkout.email': email });
  if (!cart) throw new Error(`no cart for ${email}`);
  return cart;
}

let seq = 0;
/** An email address no other test uses. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${++seq}-${Date.now().toString(36)}@example.com`;
}
