import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import type { ShippingMethod } from '../../src/modules/checkout/settings.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { ADDRESSES, addToCart, cartOf, configureCheckout, offeredMethods, shippingToReview, shownTotals, toShipping, uniqueEmail } from './checkout-fixtures.js';

/**
 * Shipping methods are offered per destination country (settings.methodsFor), through the real
 * checkout pages: a pickup point only in PT, a flat rate in PT and ES. (Free above a threshold is
 * shown by checkout-flow.test.ts; neither method here has one.)
 */

const PICKUP: ShippingMethod = {
  id: 'pickup-lisbon',
  kind: 'pickup',
  name: { en: 'Pick up in Lisbon', 'pt-BR': 'Retirar em Lisboa', es: 'Recoger en Lisboa' },
  amount: 0,
  freeAbove: null,
  countries: ['PT'],
};
const FLAT: ShippingMethod = {
  id: 'flat-iberia',
  kind: 'flat',
  name: { en: 'Iberian flat rate', 'pt-BR': 'Tarifa ibérica', es: 'Tarifa ibérica' },
  amount: 390,
  freeAbove: null,
  countries: ['PT', 'ES'],
};

// Intl output contains narrow/no-break spaces depending on ICU: compare with plain spaces.
const plain = (s: string | undefined): string | undefined => s?.replace(/[\u00a0\u202f]/g, ' ');

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await configureCheckout(t, { shippingMethods: [FLAT, PICKUP] });
});
afterAll(async () => {
  await t?.close();
});

async function cartWith(agent: TestAgent, price: number): Promise<void> {
  const p = await insertProduct(t.db, { price, variants: [{ stock: 5 }] });
  await addToCart(agent, variantOf(p)._id.toHexString());
}

describe('shipping methods per country', () => {
  it('offers a PT address both methods; choosing pickup makes shipping free in the review totals and the order', async () => {
    const agent = new TestAgent(t.app);
    await cartWith(agent, 1000);
    const email = uniqueEmail('pickup-pt');
    const shipping = await toShipping(agent, email, 'PT');
    expect(offeredMethods(shipping)).toEqual(['flat-iberia', 'pickup-lisbon']);
    const priceOf = (id: string) => shipping.html().querySelector(`label[for=m-${id}] .choice-price`)?.text;
    expect(priceOf('flat-iberia')).toBe('€3.90');
    expect(priceOf('pickup-lisbon')).toBe('Free');

    const review = await shippingToReview(agent, shipping, 'pickup-lisbon');
    expect(review.html().querySelector('.review-delivery')?.text).toContain('Pick up in Lisbon');
    // Shipping 0, so the total is the goods alone (PT VAT included: round(1000 × 23 / 123) = 187).
    expect(shownTotals(review).rows).toEqual([
      ['Subtotal', '€10.00'],
      ['Shipping', 'Free'],
      ['Includes VAT 23%', '€1.87'],
      ['Total', '€10.00'],
    ]);

    // The same cart with the flat rate: its 3.90 is back in the totals.
    const flat = await shippingToReview(agent, await agent.get('/checkout/shipping'), 'flat-iberia');
    expect(shownTotals(flat)).toMatchObject({ shipping: '€3.90', total: '€13.90' });

    // Back to pickup, and the placed order keeps shipping 0.
    const again = await shippingToReview(agent, await agent.get('/checkout/shipping'), 'pickup-lisbon');
    expect(shownTotals(again).total).toBe('€10.00');
    const placed = await agent.submitForm(again, 'form.place-form', { paymentMethod: 'cash_on_delivery' });
    expect(placed.location).toMatch(/^\/checkout\/done\/[0-9a-f]{24}$/);
    const order = await t.db.collection<OrderDoc>('orders').findOne({ email });
    expect(order?.shipping).toMatchObject({ methodId: 'pickup-lisbon', pickup: true, amount: { amount: 0, currency: 'EUR' } });
    expect(order?.total.amount).toBe(1000);
  });

  it('does not offer pickup to an ES address; posting it anyway is refused (422, translated) and changes nothing', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    await cartWith(agent, 1000);
    const email = uniqueEmail('pickup-es');
    const shipping = await toShipping(agent, email, 'ES');
    expect(offeredMethods(shipping)).toEqual(['flat-iberia']);
    // A valid choice first, so that "nothing changes" has something to keep.
    expect((await agent.submitForm(shipping, 'form.shipping-form', { method: 'flat-iberia' })).location).toBe('/checkout/discount');
    const before = await cartOf(t.db, email);
    expect(before.checkout.shippingMethodId).toBe('flat-iberia');

    // The form posted with a value the page never offered (a crafted request, an old tab).
    const page = await agent.get('/checkout/shipping');
    const refused = await agent.submitForm(page, 'form.shipping-form', { method: 'pickup-lisbon' });
    expect(refused.status).toBe(422);
    expect(refused.location).toBeUndefined();
    expect(refused.html().querySelector('#e-method')?.text).toBe('Elige una forma de envío, por favor.');
    expect(refused.html().querySelector('fieldset.choices')?.getAttribute('aria-describedby')).toBe('e-method');
    expect(offeredMethods(refused)).toEqual(['flat-iberia']);
    expect(refused.html().querySelector('input[name=method][checked]')?.getAttribute('value')).toBe('flat-iberia');

    const after = await cartOf(t.db, email);
    expect(after.checkout).toEqual(before.checkout);
    expect(after.updatedAt).toEqual(before.updatedAt);
    // The review still charges the flat rate (ES VAT 21 % included).
    const review = await shippingToReview(agent, await agent.get('/checkout/shipping'), 'flat-iberia');
    expect(plain(shownTotals(review).total)).toBe('13,90 €');
  });

  it('drops a pickup chosen for PT when the address changes to ES: the shipping step must be answered again', async () => {
    const agent = new TestAgent(t.app);
    await cartWith(agent, 1000);
    const email = uniqueEmail('pickup-moved');
    const shipping = await toShipping(agent, email, 'PT');
    await shippingToReview(agent, shipping, 'pickup-lisbon');
    expect((await cartOf(t.db, email)).checkout.shippingMethodId).toBe('pickup-lisbon');

    const address = await agent.get('/checkout/address');
    const moved = await agent.submitForm(address, 'form.address-form', { ...ADDRESSES.ES });
    expect(moved.location).toBe('/checkout/shipping');
    expect((await cartOf(t.db, email)).checkout.shippingMethodId).toBeUndefined();
    // No review with the old choice: the checkout goes back to the shipping step, which offers no pickup.
    expect((await agent.get('/checkout/review')).location).toBe('/checkout/shipping');
    expect(offeredMethods(await agent.get('/checkout/shipping'))).toEqual(['flat-iberia']);
  });
});
