import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOUNTS_COLLECTION } from '../../src/modules/checkout/discounts.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { configureCheckout, courierOn, FREE_FROM_60, guestAtShipping, insertDiscountCode, shippingToReview, shownTotals } from './checkout-fixtures.js';

/**
 * The side summary of the checkout steps (views/checkout/_cart-summary.eta) shows the cart's code
 * as the totals count it now: the amount taken off and the goods after it, so a "free from" method
 * that reads "Free" on the shipping step because of the discounted goods is explained beside it. A
 * code the totals leave out (none, ended, under its minimum) shows nothing. Plain HTML: no script.
 */

const SUMMARY_STEPS = ['contact', 'address', 'shipping', 'discount'] as const;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await configureCheckout(t, { shippingMethods: [FREE_FROM_60] });
});
afterAll(async () => {
  await t?.close();
});

const clean = (s: string | undefined): string | undefined => s?.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

interface ShownSummary {
  subtotal: string | undefined;
  /** [label, amount] of the discount line, undefined when there is none. */
  discount: [string, string] | undefined;
  /** [label, amount] of the goods after the discount. */
  goods: [string, string] | undefined;
}

/** The step's side summary as the customer reads it; checks it is plain server markup. */
function summaryOf(page: Page): ShownSummary {
  expect(page.status).toBe(200);
  const asides = page.html().querySelectorAll('aside.checkout-summary');
  expect(asides, `one summary on ${page.url}`).toHaveLength(1);
  const aside = asides[0]!;
  expect(aside.querySelectorAll('script, template, [hidden]'), 'no script needed').toHaveLength(0);
  const row = (selector: string): [string, string] | undefined => {
    const p = aside.querySelector(selector);
    if (!p) return undefined;
    const amount = clean(p.querySelector('strong')?.text) ?? '';
    return [clean(p.text.replace(p.querySelector('strong')?.text ?? '', '')) ?? '', amount];
  };
  const discount = row('p.summary-discount');
  const goods = row('p.summary-goods');
  if (discount || goods) {
    // In reading order: the subtotal, the discount under it, then the goods after it.
    const order = aside.children.map((c) => c.classNames);
    const at = (c: string) => order.indexOf(c);
    expect(at('summary-subtotal')).toBeGreaterThanOrEqual(0);
    expect([at('summary-discount'), at('summary-goods')]).toEqual([at('summary-subtotal') + 1, at('summary-subtotal') + 2]);
  }
  return { subtotal: row('p.summary-subtotal')?.[1], discount, goods };
}

async function expectNoDiscountOnEveryStep(agent: TestAgent): Promise<void> {
  for (const step of SUMMARY_STEPS) {
    const page = await agent.get(`/checkout/${step}`);
    expect(page.url).toBe(`/checkout/${step}`);
    const summary = summaryOf(page);
    expect(summary, step).toMatchObject({ discount: undefined, goods: undefined });
    expect(page.body).not.toContain('summary-discount');
  }
}

describe('the side summary of the checkout steps, with a discount code', () => {
  it.each([
    // 10 % off 70.00 → 63.00 of goods, above the courier's 60.00: free.
    { kind: 'percentage' as const, value: 1000, off: '−€7.00', goods: '€63.00' },
    // 8.00 off 70.00 → 62.00 of goods: free.
    { kind: 'fixed' as const, value: 800, off: '−€8.00', goods: '€62.00' },
  ])('shows the $kind code and the goods after it on every step, as the review counts them', async ({ kind, value, off, goods }) => {
    const code = await insertDiscountCode(t, { kind, value });
    const { agent, shipping } = await guestAtShipping(t, 7000);
    expect(summaryOf(shipping)).toEqual({ subtotal: '€70.00', discount: undefined, goods: undefined });

    const review = await shippingToReview(agent, shipping, 'courier', code);
    const totals = shownTotals(review);
    expect(totals).toMatchObject({ discount: off, shipping: 'Free' });

    for (const step of SUMMARY_STEPS) {
      const page = await agent.get(`/checkout/${step}`);
      expect(page.url).toBe(`/checkout/${step}`);
      expect(summaryOf(page), step).toEqual({ subtotal: '€70.00', discount: [`Discount (${code})`, off], goods: ['After discount', goods] });
      expect(summaryOf(page).discount?.[1], `${step}: the review's amount`).toBe(totals.discount);
    }
    // The shipping step: "Free" beside a summary that shows why (goods after the discount ≥ 60.00).
    const back = await agent.get('/checkout/shipping');
    expect(courierOn(back)).toEqual({ price: 'Free', hint: undefined });
  });

  it('shows, on the shipping step, the goods that make the courier paid when the code takes them under its threshold', async () => {
    const code = await insertDiscountCode(t, { kind: 'percentage', value: 1000 });
    const { agent, shipping } = await guestAtShipping(t, 6200);
    await shippingToReview(agent, shipping, 'courier', code);
    const back = await agent.get('/checkout/shipping');
    expect(courierOn(back)).toEqual({ price: '€5.90', hint: 'free from €60.00' });
    expect(summaryOf(back)).toEqual({ subtotal: '€62.00', discount: [`Discount (${code})`, '−€6.20'], goods: ['After discount', '€55.80'] });
  });

  it('translates the lines (es, pt-BR) and formats the amounts for the locale', async () => {
    for (const [locale, label, after] of [
      ['es', 'Descuento', 'Con descuento'],
      ['pt-BR', 'Desconto', 'Com desconto'],
    ] as const) {
      const code = await insertDiscountCode(t, { kind: 'percentage', value: 1000 });
      const { agent, shipping } = await guestAtShipping(t, 7000, { 'accept-language': locale });
      await shippingToReview(agent, shipping, 'courier', code);
      const summary = summaryOf(await agent.get('/checkout/shipping'));
      const money = (amount: number) => clean(new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount));
      expect(summary, locale).toEqual({ subtotal: money(70), discount: [`${label} (${code})`, `−${money(7)}`], goods: [after, money(63)] });
    }
  });

  it('shows no discount line when the cart has no code', async () => {
    const { agent, shipping } = await guestAtShipping(t, 7000);
    expect(summaryOf(shipping)).toEqual({ subtotal: '€70.00', discount: undefined, goods: undefined });
    const review = await shippingToReview(agent, shipping, 'courier');
    expect(shownTotals(review)).toMatchObject({ discount: undefined });
    await expectNoDiscountOnEveryStep(agent);
  });

  it('shows no discount line once the code has ended (as the review leaves it out)', async () => {
    const code = await insertDiscountCode(t, { kind: 'percentage', value: 1000 });
    const { agent, shipping } = await guestAtShipping(t, 6200);
    await shippingToReview(agent, shipping, 'courier', code);
    expect(summaryOf(await agent.get('/checkout/shipping')).discount).toEqual([`Discount (${code})`, '−€6.20']);

    const applied = (await agent.get('/checkout/discount')).html().querySelector('form.discount-remove-form p');
    expect(applied?.text).toBe(`Code ${code} is applied.`);
    expect(applied?.classList.contains('notice-error')).toBe(false);

    await t.db.collection(DISCOUNTS_COLLECTION).updateOne({ code }, { $set: { endsAt: new Date(Date.now() - 60_000) } });
    await expectNoDiscountOnEveryStep(agent);
    // The discount step says so beside the code, which can still be removed.
    const step = (await agent.get('/checkout/discount')).html();
    expect(step.querySelector('form.discount-remove-form p.notice-error')?.text).toBe(`Code ${code} no longer applies to this cart and is left out of the totals. Remove it or try another.`);
    expect(step.querySelector('form.discount-remove-form button')).not.toBeNull();
    // The shipping step prices without it too: 62.00 ≥ 60.00.
    expect(courierOn(await agent.get('/checkout/shipping'))).toEqual({ price: 'Free', hint: undefined });
    const review = await agent.get('/checkout/review');
    expect(review.html().querySelector('.notice-error')?.text).toBe('Your discount code no longer applies and was left out of the totals.');
    expect(shownTotals(review)).toMatchObject({ discount: undefined });
  });

  it('shows no discount line once the cart falls under the code\'s minimum', async () => {
    const code = await insertDiscountCode(t, { kind: 'percentage', value: 1000, minOrder: 10_000 });
    // 2 × 62.00 = 124.00 ≥ 100.00: the code applies.
    const { agent, shipping, variantId } = await guestAtShipping(t, 6200, {}, '2');
    await shippingToReview(agent, shipping, 'courier', code);
    expect(summaryOf(await agent.get('/checkout/discount'))).toEqual({ subtotal: '€124.00', discount: [`Discount (${code})`, '−€12.40'], goods: ['After discount', '€111.60'] });

    // One left: 62.00 < 100.00.
    const cart = await agent.get('/cart');
    const updated = await agent.submitForm(cart, 'form.qty-form', { variantId, qty: '1' });
    expect(updated.status).toBe(303);
    const page = await agent.get('/checkout/discount');
    expect(summaryOf(page)).toEqual({ subtotal: '€62.00', discount: undefined, goods: undefined });
    expect(page.html().querySelector('form.discount-remove-form p.notice-error')?.text).toContain(`Code ${code} no longer applies`);
    await expectNoDiscountOnEveryStep(agent);
  });
});
