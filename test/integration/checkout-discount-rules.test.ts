import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewDiscount } from '../../src/modules/checkout/discounts.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { addToCart, cartOf, configureCheckout, shownTotals, toShipping, uniqueEmail } from './checkout-fixtures.js';

/**
 * The rules of a discount code at the checkout's discount step (checkDiscount in discounts.ts), as
 * the customer meets them: dates, minimum order, one use per customer. A refused code is never in
 * the totals and never counted.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // The default settings, stored: standard delivery 4.95 (free from 50.00) to PT, PT VAT 23 % included.
  await configureCheckout(t, {});
});
afterAll(async () => {
  await t?.close();
});

const DAY = 24 * 60 * 60 * 1000;
let seq = 0;

async function newCode(rules: Partial<NewDiscount>): Promise<string> {
  const code = `RULE${++seq}X${Date.now() % 100_000}`;
  await t.services.checkout.discounts.insert(
    { code, kind: 'percentage', value: 1000, minOrder: 0, startsAt: null, endsAt: null, usageLimit: 1000, perCustomerLimit: 1, active: true, ...rules },
    new Date(),
  );
  return code;
}

/** The code's counters as stored: total uses, unsettled holds, and the uses of each customer given. */
async function counters(code: string, emails: string[] = []) {
  const d = await t.services.checkout.discounts.findByCode(code);
  if (!d) throw new Error(`no code ${code}`);
  const perCustomer: Record<string, number> = {};
  for (const email of emails) perCustomer[email] = await t.services.checkout.discounts.customerUses(d._id, `email:${email.toLowerCase()}`);
  const customerDocs = await t.db.collection('discount_customer_uses').countDocuments({ _id: { $regex: `^${d._id.toHexString()}:` } as never });
  return { uses: d.uses, holds: d.holds, customerDocs, perCustomer };
}

/** A new guest with a 10.00 cart at the discount step (PT address, standard delivery 4.95). */
async function atDiscountStep(email: string, headers: Record<string, string> = {}): Promise<{ agent: TestAgent; page: Page }> {
  const agent = new TestAgent(t.app, headers);
  const p = await insertProduct(t.db, { price: 1000, variants: [{ stock: 10 }] });
  await addToCart(agent, variantOf(p)._id.toHexString());
  const shipping = await toShipping(agent, email, 'PT');
  const page = await agent.submitForm(shipping, 'form.shipping-form', { method: 'standard' }, { follow: true });
  expect(page.url).toBe('/checkout/discount');
  return { agent, page };
}

/** Submits the code on the discount step; a refusal re-renders it with 422 and the message beside the field. */
async function applyRefused(agent: TestAgent, page: Page, code: string): Promise<{ page: Page; message: string | undefined }> {
  const refused = await agent.submitForm(page, 'form.discount-form', { code: code.toLowerCase() });
  expect(refused.status, code).toBe(422);
  expect(refused.html().querySelector('input[name=code]')?.getAttribute('value'), 'input kept').toBe(code.toLowerCase());
  expect(refused.html().querySelector('input[name=code]')?.getAttribute('aria-describedby')).toBe('e-code');
  return { page: refused, message: refused.html().querySelector('#e-code')?.text };
}

const MESSAGES = {
  en: {
    notStarted: 'This code is not valid yet.',
    ended: 'This code has expired.',
    minOrder: 'Your order is below the minimum for this code.',
    usedByCustomer: 'You have already used this code.',
  },
  es: {
    notStarted: 'Este código todavía no es válido.',
    ended: 'Este código ha caducado.',
    minOrder: 'Tu pedido no llega al mínimo de este código.',
    usedByCustomer: 'Ya usaste este código.',
  },
} as const;

describe('discount code rules at checkout', () => {
  it.each(['en', 'es'] as const)('refuses a code not started, one ended and one with a minimum above the cart, each with its own message (%s)', async (locale) => {
    const now = Date.now();
    const codes = {
      notStarted: await newCode({ startsAt: new Date(now + DAY), endsAt: new Date(now + 30 * DAY) }),
      ended: await newCode({ startsAt: new Date(now - 30 * DAY), endsAt: new Date(now - DAY) }),
      // The cart holds 10.00 of goods: one cent short.
      minOrder: await newCode({ minOrder: 1001 }),
    };
    const email = uniqueEmail(`rules-${locale}`);
    const { agent, page: start } = await atDiscountStep(email, { 'accept-language': locale });
    let page = start;

    for (const rule of ['notStarted', 'ended', 'minOrder'] as const) {
      const refused = await applyRefused(agent, page, codes[rule]);
      expect(refused.message, rule).toBe(MESSAGES[locale][rule]);
      expect((await cartOf(t.db, email)).checkout.discountCode, rule).toBeUndefined();
      page = refused.page;
    }

    // On to the review without a code: no discount line, the total is goods + shipping.
    const review = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
    expect(review.url).toBe('/checkout/review');
    const totals = shownTotals(review);
    expect(totals.discount).toBeUndefined();
    expect(totals.rows).toHaveLength(4);
    expect(totals.total?.replace(/[\u00a0\u202f]/g, ' ')).toBe(locale === 'en' ? '€14.95' : '14,95 €');
    expect(review.html().querySelector('.notice-error'), 'no "code dropped" notice: none was applied').toBeNull();

    // Placed without the code; no refusal counted anything, in total or for this customer.
    expect((await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' })).status).toBe(303);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ email });
    expect(order?.discount).toBeNull();
    expect(order?.total.amount).toBe(1495);
    for (const rule of ['notStarted', 'ended', 'minOrder'] as const) {
      expect(await counters(codes[rule], [email]), rule).toEqual({ uses: 0, holds: [], customerDocs: 0, perCustomer: { [email]: 0 } });
    }
  });

  it('one use per customer: the first order by an email uses it, a second checkout by that email is refused, another email still can', async () => {
    const code = await newCode({ kind: 'fixed', value: 200, usageLimit: 1000, perCustomerLimit: 1 });
    const first = uniqueEmail('once');
    const other = uniqueEmail('other');

    // The first order by `first` gets the discount and counts one use, in total and for that email.
    const a = await atDiscountStep(first);
    const reviewA = await a.agent.submitForm(a.page, 'form.discount-form', { code }, { follow: true });
    expect(reviewA.url).toBe('/checkout/review');
    expect(reviewA.html().querySelector('.flash-success')?.text).toBe(`Code ${code} applied.`);
    expect(shownTotals(reviewA)).toMatchObject({ discount: '−€2.00', total: '€12.95' });
    expect(await counters(code, [first])).toEqual({ uses: 0, holds: [], customerDocs: 0, perCustomer: { [first]: 0 } });
    expect((await a.agent.submitForm(reviewA, 'form.place-form', { paymentMethod: 'bank_transfer' })).status).toBe(303);
    expect((await t.db.collection<OrderDoc>('orders').findOne({ email: first }))?.discount).toMatchObject({ code, amount: { amount: 200 } });
    expect(await counters(code, [first])).toEqual({ uses: 1, holds: [], customerDocs: 1, perCustomer: { [first]: 1 } });

    // A second checkout (another session) by the same email, typed in capitals: refused, nothing counted.
    const b = await atDiscountStep(first.toUpperCase());
    const refused = await applyRefused(b.agent, b.page, code);
    expect(refused.message).toBe(MESSAGES.en.usedByCustomer);
    expect((await cartOf(t.db, first)).checkout.discountCode).toBeUndefined();
    const reviewB = await b.agent.submitForm(refused.page, 'form.discount-skip-form', {}, { follow: true });
    expect(shownTotals(reviewB)).toMatchObject({ discount: undefined, total: '€14.95' });
    expect(await counters(code, [first])).toEqual({ uses: 1, holds: [], customerDocs: 1, perCustomer: { [first]: 1 } });

    // Another email may still use it: a second use in total, the first for that email.
    const c = await atDiscountStep(other);
    const reviewC = await c.agent.submitForm(c.page, 'form.discount-form', { code }, { follow: true });
    expect(shownTotals(reviewC)).toMatchObject({ discount: '−€2.00', total: '€12.95' });
    expect((await c.agent.submitForm(reviewC, 'form.place-form', { paymentMethod: 'bank_transfer' })).status).toBe(303);
    expect((await t.db.collection<OrderDoc>('orders').findOne({ email: other }))?.discount?.code).toBe(code);
    expect(await counters(code, [first, other])).toEqual({ uses: 2, holds: [], customerDocs: 2, perCustomer: { [first]: 1, [other]: 1 } });
  });

  it('the same email typed after the code was applied: the review leaves the discount out and placing is refused with that email\'s message', async () => {
    const code = await newCode({ kind: 'fixed', value: 200, usageLimit: 1000, perCustomerLimit: 1 });
    const used = uniqueEmail('used');
    const a = await atDiscountStep(used);
    const reviewA = await a.agent.submitForm(a.page, 'form.discount-form', { code }, { follow: true });
    expect((await a.agent.submitForm(reviewA, 'form.place-form', { paymentMethod: 'bank_transfer' })).status).toBe(303);

    // Another checkout applies the code under a fresh email, then goes back and enters the used one.
    const b = await atDiscountStep(uniqueEmail('fresh'));
    expect((await b.agent.submitForm(b.page, 'form.discount-form', { code })).location).toBe('/checkout/review');
    const contact = await b.agent.get('/checkout/contact');
    expect((await b.agent.submitForm(contact, 'form.contact-form', { email: used })).location).toBe('/checkout/address');
    expect((await cartOf(t.db, used)).checkout.discountCode).toBe(code);

    // The review counts this customer's uses as the placement will: no discount, and a notice saying so.
    const review = await b.agent.get('/checkout/review');
    expect(shownTotals(review)).toMatchObject({ discount: undefined, total: '€14.95' });
    expect(review.html().querySelector('.notice-error')?.text).toBe('Your discount code no longer applies and was left out of the totals.');
    expect(review.html().querySelector('button.place-order')?.text).toBe('Place order · €14.95');

    // Placing anyway is refused with the per-customer message, back on the discount step; nothing placed or counted.
    const placed = await b.agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(placed.location).toBe('/checkout/discount');
    const back = await b.agent.follow(placed);
    expect(back.html().querySelectorAll('.flash-error').map((f) => f.text)).toEqual([MESSAGES.en.usedByCustomer]);
    expect(await t.db.collection<OrderDoc>('orders').countDocuments({ email: used })).toBe(1);
    expect(await counters(code, [used])).toEqual({ uses: 1, holds: [], customerDocs: 1, perCustomer: { [used]: 1 } });
  });
});
