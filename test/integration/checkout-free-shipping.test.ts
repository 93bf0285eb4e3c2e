import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOUNTS_COLLECTION } from '../../src/modules/checkout/discounts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { configureCheckout, courierOn, FREE_FROM_60, guestAtShipping, insertDiscountCode, shippingToReview, shownTotals } from './checkout-fixtures.js';

/**
 * Free shipping from a threshold counts the goods after the discount (totals.shippingPrice), and
 * the shipping step shows each method at the price the review then charges: a code that takes a
 * cart below the threshold makes the method paid on both pages, not "Free" on one and paid on the other.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await configureCheckout(t, { shippingMethods: [FREE_FROM_60] });
});
afterAll(async () => {
  await t?.close();
});

/** A new guest with one 62.00 item (just above the courier's 60.00 threshold), at the shipping step. */
const cartAboveThreshold = () => guestAtShipping(t, 6200);

describe('free shipping from a threshold, after the discount', () => {
  it.each([
    // 10 % off 62.00 → 55.80 of goods, below 60.00.
    { kind: 'percentage' as const, value: 1000, discount: '−€6.20', total: '€61.70' },
    // 5.00 off 62.00 → 57.00 of goods, below 60.00.
    { kind: 'fixed' as const, value: 500, discount: '−€5.00', total: '€62.90' },
  ])('shows the method at the price the review charges: Free without the code, €5.90 with a $kind code below the threshold', async ({ kind, value, discount, total }) => {
    const code = await insertDiscountCode(t, { kind, value });
    const { agent, shipping } = await cartAboveThreshold();

    // Without a code: 62.00 ≥ 60.00, free on the shipping step and in the review.
    expect(courierOn(shipping)).toEqual({ price: 'Free', hint: undefined });
    const review = await shippingToReview(agent, shipping, 'courier');
    expect(shownTotals(review)).toMatchObject({ discount: undefined, shipping: 'Free', total: '€62.00' });

    // The code brings the goods below 60.00: the review charges the courier.
    const applied = await agent.submitForm(await agent.get('/checkout/discount'), 'form.discount-form', { code }, { follow: true });
    expect(applied.url).toBe('/checkout/review');
    const charged = shownTotals(applied);
    expect(charged).toMatchObject({ discount, shipping: '€5.90', total });

    // Back on the shipping step: the same price as the review charges, with the threshold as a hint.
    const back = courierOn(await agent.get('/checkout/shipping'));
    expect(back.price).toBe(charged.shipping);
    expect(back).toEqual({ price: '€5.90', hint: 'free from €60.00' });

    // Choosing it again keeps the code and the same charge.
    const again = await shippingToReview(agent, await agent.get('/checkout/shipping'), 'courier');
    expect(shownTotals(again)).toEqual(charged);
  });

  it('prices the shipping step without a code the totals leave out (deactivated since it was applied): Free on both pages', async () => {
    const code = await insertDiscountCode(t, { kind: 'percentage', value: 1000 });
    const { agent, shipping } = await cartAboveThreshold();
    const review = await shippingToReview(agent, shipping, 'courier', code);
    expect(shownTotals(review)).toMatchObject({ shipping: '€5.90' });
    expect(courierOn(await agent.get('/checkout/shipping')).price).toBe('€5.90');

    await t.db.collection(DISCOUNTS_COLLECTION).updateOne({ code }, { $set: { active: false } });
    const dropped = await agent.get('/checkout/review');
    expect(dropped.html().querySelector('.notice-error')?.text).toBe('Your discount code no longer applies and was left out of the totals.');
    expect(shownTotals(dropped)).toMatchObject({ discount: undefined, shipping: 'Free', total: '€62.00' });
    expect(courierOn(await agent.get('/checkout/shipping'))).toEqual({ price: 'Free', hint: undefined });
  });
});
