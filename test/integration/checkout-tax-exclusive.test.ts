import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShippingMethod, TaxRate } from '../../src/modules/checkout/settings.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { addToCart, configureCheckout, shippingToReview, shownTotals, toShipping, uniqueEmail } from './checkout-fixtures.js';

/**
 * Prices without tax (`pricesIncludeTax: false`: "exclude tax" on the admin taxes page) against
 * prices with tax, for the same 10.00 cart and 4.95 delivery to PT at 23 %.
 *
 * How totals.ts taxes shipping: the destination's one rate applies to the goods (after any discount)
 * plus the shipping, i.e. delivery is taxed like the goods it carries. So the tax base is
 * 10.00 + 4.95 = 14.95, never the goods alone (which would give a 2.30 tax here).
 *  - exclusive: tax = round(1495 × 23 / 100) = round(343.85) = 344, added on top: 1495 + 344 = 1839;
 *  - inclusive: the total is 1495 as listed and the tax line is the part of it that is tax:
 *    round(1495 × 23 / 123) = round(279.55) = 280.
 */

const STANDARD: ShippingMethod = {
  id: 'standard',
  kind: 'flat',
  name: { en: 'Standard delivery', 'pt-BR': 'Entrega padrão', es: 'Envío estándar' },
  amount: 495,
  freeAbove: null,
  countries: ['PT'],
};
const PT_VAT: TaxRate = { country: 'PT', rateBp: 2300, label: { en: 'VAT 23%', 'pt-BR': 'IVA 23%', es: 'IVA 23 %' } };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A new guest with 10.00 of goods at the review, delivery 4.95 to PT. */
async function reviewOfTenEuroCart(email: string): Promise<{ agent: TestAgent; review: Page }> {
  const agent = new TestAgent(t.app);
  const p = await insertProduct(t.db, { price: 1000, variants: [{ stock: 5 }] });
  await addToCart(agent, variantOf(p)._id.toHexString());
  const review = await shippingToReview(agent, await toShipping(agent, email, 'PT'), 'standard');
  return { agent, review };
}

/** Places the reviewed order; returns the stored order and the customer's order page (signed link). */
async function place(agent: TestAgent, review: Page, email: string): Promise<{ order: OrderDoc | null; page: Page }> {
  const done = await agent.follow(await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' }));
  const link = done.html().querySelector('a.button.secondary')?.getAttribute('href') ?? '';
  expect(link).toMatch(/^\/orders\/[0-9a-f]{24}\?sig=/);
  return { order: await t.db.collection<OrderDoc>('orders').findOne({ email }), page: await agent.get(link) };
}

describe('tax-exclusive prices', () => {
  it('adds the tax on goods + shipping: a "VAT 23%" line of 3.44 and a total of 18.39, on the review and the order', async () => {
    await configureCheckout(t, { pricesIncludeTax: false, shippingMethods: [STANDARD], taxRates: [PT_VAT] });
    const email = uniqueEmail('exclusive');
    const { agent, review } = await reviewOfTenEuroCart(email);
    const expected: [string, string][] = [
      ['Subtotal', '€10.00'],
      ['Shipping', '€4.95'],
      ['VAT 23%', '€3.44'],
      ['Total', '€18.39'],
    ];
    expect(shownTotals(review).rows).toEqual(expected);
    expect(review.html().querySelector('button.place-order')?.text).toBe('Place order · €18.39');

    const { order, page } = await place(agent, review, email);
    expect(order).toMatchObject({ pricesIncludeTax: false, subtotal: { amount: 1000 }, total: { amount: 1839, currency: 'EUR' } });
    expect(order?.shipping.amount.amount).toBe(495);
    expect(order?.taxes).toEqual([{ label: PT_VAT.label, rateBp: 2300, amount: { amount: 344, currency: 'EUR' } }]);
    expect(shownTotals(page).rows).toEqual(expected);
  });

  it('with prices including tax, the same cart totals goods + shipping and shows the included part (2.80)', async () => {
    await configureCheckout(t, { pricesIncludeTax: true, shippingMethods: [STANDARD], taxRates: [PT_VAT] });
    const email = uniqueEmail('inclusive');
    const { agent, review } = await reviewOfTenEuroCart(email);
    const expected: [string, string][] = [
      ['Subtotal', '€10.00'],
      ['Shipping', '€4.95'],
      ['Includes VAT 23%', '€2.80'],
      ['Total', '€14.95'],
    ];
    expect(shownTotals(review).rows).toEqual(expected);
    expect(review.html().querySelector('button.place-order')?.text).toBe('Place order · €14.95');

    const { order, page } = await place(agent, review, email);
    expect(order).toMatchObject({ pricesIncludeTax: true, subtotal: { amount: 1000 }, total: { amount: 1495, currency: 'EUR' } });
    expect(order?.taxes).toEqual([{ label: PT_VAT.label, rateBp: 2300, amount: { amount: 280, currency: 'EUR' } }]);
    expect(shownTotals(page).rows).toEqual(expected);
  });
});
