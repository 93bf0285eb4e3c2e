import { money, type Money } from '../../lib/money.js';
import type { Translated } from '../catalog/types.js';
import type { DiscountKind } from './discounts.js';
import type { ShippingMethod, TaxRate } from './settings.js';

/**
 * The order's arithmetic, pure and in integer minor units. Rounding is half-up, once per figure.
 * Discount: on the goods subtotal (fixed amounts capped at it). Shipping: free when the discounted
 * goods subtotal reaches the method's threshold. Tax: one rate per destination country, on goods
 * after discount plus shipping; extracted from the total when prices include tax, else added.
 */

export interface TotalsInput {
  currency: string;
  lines: readonly { unitPrice: number; qty: number }[];
  shipping: ShippingMethod | undefined;
  discount: { code: string; kind: DiscountKind; value: number } | undefined;
  taxRate: TaxRate | undefined;
  pricesIncludeTax: boolean;
}

export interface TaxLine {
  label: Translated;
  rateBp: number;
  amount: Money;
}

export interface Totals {
  subtotal: Money;
  discount: { code: string; amount: Money } | null;
  shipping: Money;
  taxes: TaxLine[];
  pricesIncludeTax: boolean;
  /** What the customer pays. */
  total: Money;
}

export function discountAmount(kind: DiscountKind, value: number, subtotal: number): number {
  const raw = kind === 'percentage' ? Math.round((subtotal * value) / 10_000) : value;
  return Math.max(0, Math.min(raw, subtotal));
}

/** What `method` costs for goods worth `goods` after the discount. */
export function shippingAmount(method: ShippingMethod | undefined, goods: number): number {
  if (!method || method.kind === 'pickup') return 0;
  if (method.freeAbove !== null && goods >= method.freeAbove) return 0;
  return method.amount;
}

/**
 * The price of shipping by `method` for goods worth `subtotal` before `discount`, as the shipping
 * step shows it: the totals' own rule (shippingAmount over the discounted goods), so the step never
 * shows a price the review then changes.
 */
export function shippingPrice(method: ShippingMethod | undefined, subtotal: number, discount: TotalsInput['discount']): number {
  const off = discount ? discountAmount(discount.kind, discount.value, subtotal) : 0;
  return shippingAmount(method, subtotal - off);
}

export function computeTotals(input: TotalsInput): Totals {
  const c = input.currency;
  const subtotal = input.lines.reduce((sum, l) => sum + l.unitPrice * l.qty, 0);
  const off = input.discount ? discountAmount(input.discount.kind, input.discount.value, subtotal) : 0;
  const goods = subtotal - off;
  const shipping = shippingAmount(input.shipping, goods); // as shippingPrice() shows it on the shipping step
  const taxable = goods + shipping;
  const rate = input.taxRate?.rateBp ?? 0;
  let tax = 0;
  if (rate > 0) {
    tax = input.pricesIncludeTax ? Math.round((taxable * rate) / (10_000 + rate)) : Math.round((taxable * rate) / 10_000);
  }
  const total = input.pricesIncludeTax ? taxable : taxable + tax;
  return {
    subtotal: money(subtotal, c),
    discount: input.discount ? { code: input.discount.code, amount: money(off, c) } : null,
    shipping: money(shipping, c),
    taxes: input.taxRate && rate > 0 ? [{ label: input.taxRate.label, rateBp: rate, amount: money(tax, c) }] : [],
    pricesIncludeTax: input.pricesIncludeTax,
    total: money(total, c),
  };
}
