import type { ObjectId } from 'mongodb';
import type { CartView } from '../cart/service.js';
import type { Address, CheckoutState } from '../cart/types.js';
import type { OrderLine } from '../orders/types.js';
import { isPaymentMethod, type PaymentMethodId } from '../payments/types.js';
import type { DiscountDoc } from './discounts.js';
import { methodsFor, taxRateFor, type CheckoutSettings, type ShippingMethod } from './settings.js';
import { computeTotals, type Totals, type TotalsInput } from './totals.js';

/** The checkout steps in order; a step's page needs every earlier one done. */
export const STEPS = ['contact', 'address', 'shipping', 'discount', 'review'] as const;
export type CheckoutStep = (typeof STEPS)[number];

export interface OrderDraft {
  email: string;
  address: Address;
  shipping: ShippingMethod;
  discount: DiscountDoc | null;
  paymentMethod: PaymentMethodId | undefined;
  lines: OrderLine[];
  totals: Totals;
}

/** The first step still to do, or undefined when the review can be shown. */
export function missingStep(state: CheckoutState, settings: CheckoutSettings): CheckoutStep | undefined {
  if (!state.email) return 'contact';
  if (!state.address || !settings.countries.includes(state.address.country)) return 'address';
  const method = state.shippingMethodId;
  if (!method || !methodsFor(settings, state.address.country).some((m) => m.id === method)) return 'shipping';
  return undefined;
}

export function snapshotLines(view: CartView): OrderLine[] {
  return view.lines.map((l) => ({
    productId: l.variant.productId,
    variantId: l.variant.variantId,
    slug: l.variant.slug,
    sku: l.variant.sku,
    title: l.variant.title,
    optionLabels: l.variant.optionLabels,
    unitPrice: l.unitPrice,
    qty: l.qty,
    lineTotal: l.lineTotal,
    digital: l.variant.digital ? { ...l.variant.digital, downloads: 0 } : null,
  }));
}

/** Everything the order will contain, computed from the fresh cart and the settings. */
export function buildDraft(
  view: CartView,
  state: CheckoutState,
  settings: CheckoutSettings,
  discount: DiscountDoc | null,
): OrderDraft | { missing: CheckoutStep } {
  const missing = missingStep(state, settings);
  if (missing || !state.email || !state.address) return { missing: missing ?? 'contact' };
  const address = state.address;
  const shipping = methodsFor(settings, address.country).find((m) => m.id === state.shippingMethodId);
  if (!shipping) return { missing: 'shipping' };
  const lines = snapshotLines(view);
  const totals = computeTotals({
    currency: view.currency,
    lines: lines.map((l) => ({ unitPrice: l.unitPrice.amount, qty: l.qty })),
    shipping,
    discount: discountTerms(discount),
    taxRate: taxRateFor(settings, address.country),
    pricesIncludeTax: settings.pricesIncludeTax,
  });
  return { email: state.email, address, shipping, discount, paymentMethod: isPaymentMethod(state.paymentMethod) ? state.paymentMethod : undefined, lines, totals };
}

/** What the totals need of a discount code. */
export function discountTerms(discount: DiscountDoc | null): TotalsInput['discount'] {
  return discount ? { code: discount.code, kind: discount.kind, value: discount.value } : undefined;
}

/** Who counts as "one customer" for per-customer discount limits. */
export function customerKey(userId: ObjectId | null, email: string): string {
  return userId ? `user:${userId.toHexString()}` : `email:${email.trim().toLowerCase()}`;
}


/** Literal keys (so the catalog test sees them). */
export const STEP_LABEL_KEYS: Readonly<Record<CheckoutStep, string>> = {
  contact: 'checkout.step.contact',
  address: 'checkout.step.address',
  shipping: 'checkout.step.shipping',
  discount: 'checkout.step.discount',
  review: 'checkout.step.review',
};
