import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKOUT_SETTINGS, methodsFor, taxRateFor, type CheckoutSettings, type ShippingMethod, type TaxRate } from '../../src/modules/checkout/settings.js';
import { computeTotals, shippingAmount, shippingPrice, type TotalsInput } from '../../src/modules/checkout/totals.js';

/** The checkout's pure arithmetic: which methods a country gets, what shipping costs, how tax is counted. */

const PICKUP: ShippingMethod = { id: 'pickup', kind: 'pickup', name: { en: 'Pick up' }, amount: 0, freeAbove: null, countries: ['PT'] };
const FLAT: ShippingMethod = { id: 'flat', kind: 'flat', name: { en: 'Flat' }, amount: 495, freeAbove: null, countries: ['PT', 'ES'] };
const PT_VAT: TaxRate = { country: 'PT', rateBp: 2300, label: { en: 'VAT 23%' } };
const settings: CheckoutSettings = { ...DEFAULT_CHECKOUT_SETTINGS, shippingMethods: [FLAT, PICKUP], taxRates: [PT_VAT] };

/** 10.00 of goods to PT at 23 %, flat shipping, prices without tax unless overridden. */
function totals(overrides: Partial<TotalsInput> = {}) {
  return computeTotals({ currency: 'EUR', lines: [{ unitPrice: 500, qty: 2 }], shipping: FLAT, discount: undefined, taxRate: PT_VAT, pricesIncludeTax: false, ...overrides });
}
const amounts = (t: ReturnType<typeof computeTotals>) => ({
  subtotal: t.subtotal.amount,
  discount: t.discount?.amount.amount ?? 0,
  shipping: t.shipping.amount,
  taxes: t.taxes.map((x) => x.amount.amount),
  total: t.total.amount,
});

describe('shipping methods per country', () => {
  it('offers PT the flat rate and the pickup, ES only the flat rate, and a country in neither list nothing', () => {
    expect(methodsFor(settings, 'PT').map((m) => m.id)).toEqual(['flat', 'pickup']);
    expect(methodsFor(settings, 'ES').map((m) => m.id)).toEqual(['flat']);
    expect(methodsFor(settings, 'FR')).toEqual([]);
    expect(taxRateFor(settings, 'PT')).toBe(PT_VAT);
    expect(taxRateFor(settings, 'ES')).toBeUndefined();
  });

  it('charges nothing for a pickup, whatever amount it carries; a flat rate its amount', () => {
    expect(shippingAmount(PICKUP, 1000)).toBe(0);
    expect(shippingAmount({ ...PICKUP, amount: 300 }, 1000)).toBe(0);
    expect(shippingAmount(FLAT, 1000)).toBe(495);
    expect(shippingAmount(undefined, 1000)).toBe(0);
  });

  it('free from a threshold counts the goods after the discount, the same for the shipping price and the totals', () => {
    const FREE_FROM_10 = { ...FLAT, freeAbove: 1000 };
    const tenPercent = { code: 'TEN', kind: 'percentage' as const, value: 1000 };
    expect(shippingPrice(FREE_FROM_10, 1000, undefined)).toBe(0);
    expect(shippingPrice(FREE_FROM_10, 1000, tenPercent)).toBe(495);
    expect(shippingPrice(FREE_FROM_10, 1200, tenPercent)).toBe(0);
    expect(shippingPrice(FREE_FROM_10, 1100, { code: 'TWO', kind: 'fixed', value: 200 })).toBe(495);
    expect(amounts(totals({ shipping: FREE_FROM_10 })).shipping).toBe(0);
    expect(amounts(totals({ shipping: FREE_FROM_10, discount: tenPercent })).shipping).toBe(495);
  });

  it('a pickup order totals the goods alone: shipping 0 and tax on the goods only', () => {
    expect(amounts(totals({ shipping: PICKUP, pricesIncludeTax: true }))).toEqual({ subtotal: 1000, discount: 0, shipping: 0, taxes: [187], total: 1000 });
    expect(amounts(totals({ shipping: PICKUP }))).toEqual({ subtotal: 1000, discount: 0, shipping: 0, taxes: [230], total: 1230 });
  });
});

describe('tax with prices including or excluding it', () => {
  // Shipping is taxed like the goods: one rate (the destination's) on goods after discount + shipping.
  it('without tax in the prices, adds 23 % of goods + shipping: 1495 → tax 344 (343.85 rounded), total 1839', () => {
    const t = totals();
    expect(amounts(t)).toEqual({ subtotal: 1000, discount: 0, shipping: 495, taxes: [344], total: 1839 });
    expect(t.pricesIncludeTax).toBe(false);
    expect(t.taxes[0]).toMatchObject({ label: PT_VAT.label, rateBp: 2300 });
  });

  it('with tax in the prices, the total is goods + shipping and the tax line is the part included: 1495 × 23/123 → 280', () => {
    const t = totals({ pricesIncludeTax: true });
    expect(amounts(t)).toEqual({ subtotal: 1000, discount: 0, shipping: 495, taxes: [280], total: 1495 });
    expect(t.pricesIncludeTax).toBe(true);
  });

  it('taxes the discounted goods: 10 % off 1000 → 900 + 495 = 1395 → tax 321 (320.85), total 1716', () => {
    const discount = { code: 'TEN', kind: 'percentage' as const, value: 1000 };
    expect(amounts(totals({ discount }))).toEqual({ subtotal: 1000, discount: 100, shipping: 495, taxes: [321], total: 1716 });
    expect(amounts(totals({ discount, pricesIncludeTax: true }))).toEqual({ subtotal: 1000, discount: 100, shipping: 495, taxes: [261], total: 1395 });
  });

  it('rounds the tax half up, once: 23 % of 0.50 is 0.115 → 0.12', () => {
    expect(amounts(totals({ lines: [{ unitPrice: 50, qty: 1 }], shipping: PICKUP }))).toEqual({ subtotal: 50, discount: 0, shipping: 0, taxes: [12], total: 62 });
  });

  it('without a rate for the country there is no tax line, and the total is goods + shipping either way', () => {
    expect(amounts(totals({ taxRate: undefined }))).toEqual({ subtotal: 1000, discount: 0, shipping: 495, taxes: [], total: 1495 });
    expect(amounts(totals({ taxRate: undefined, pricesIncludeTax: true }))).toEqual({ subtotal: 1000, discount: 0, shipping: 495, taxes: [], total: 1495 });
  });
});
