import { randomBytes } from 'node:crypto';
import type { ObjectId } from 'mongodb';
import type { FieldError } from '../../lib/errors.js';
import { validateAddress, type AddressInput } from '../accounts/addresses.js';
import type { CartService, CartView } from '../cart/service.js';
import type { CartDoc } from '../cart/types.js';
import { money, type Money } from '../../lib/money.js';
import { checkDiscount, normalizeCode, type DiscountDoc, type DiscountRejection, type DiscountRepository } from './discounts.js';
import { buildDraft, customerKey, discountTerms, missingStep, type CheckoutStep, type OrderDraft } from './draft.js';
import type { PlaceOrder } from './place-order.js';
import { methodsFor, type CheckoutSettings, type CheckoutSettingsRepository, type ShippingMethod } from './settings.js';
import { discountAmount, shippingPrice } from './totals.js';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export interface CheckoutServiceDeps {
  carts: CartService;
  settings: CheckoutSettingsRepository;
  discounts: DiscountRepository;
  placeOrder: PlaceOrder;
  clock: () => Date;
}

/** A shipping method offered to this cart, with what the totals will charge for it. */
export interface ShippingOption {
  method: ShippingMethod;
  price: Money;
}

/**
 * The cart's current code as the side summary of the steps shows it: the amount the totals take
 * off the goods (totals.discountAmount) and the goods after it.
 */
export interface SummaryDiscount {
  code: string;
  amount: Money;
  goods: Money;
}

/** The checkout steps: each validates its answer and stores it on the cart (any app instance can continue). */
export function createCheckoutService({ carts, settings, discounts, placeOrder, clock }: CheckoutServiceDeps) {
  /** The cart's code as the totals count it now: null when it no longer passes its checks (this customer's uses included). */
  async function currentDiscount(view: CartView, userId: ObjectId | null): Promise<DiscountDoc | null> {
    const code = view.cart.checkout.discountCode;
    const discount = code ? await discounts.findByCode(code) : null;
    // Checked as the placement will check it (the email may have changed since the code was applied).
    const used = discount ? await discounts.customerUses(discount._id, customerKey(userId, view.cart.checkout.email ?? '')) : 0;
    return discount && checkDiscount(discount, view.subtotal.amount, clock(), used) === undefined ? discount : null;
  }

  /** The summary's discount line for `discount` (the cart's current code), null when there is none. */
  function summaryOf(view: CartView, discount: DiscountDoc | null): SummaryDiscount | null {
    const terms = discountTerms(discount);
    if (!terms) return null;
    const off = discountAmount(terms.kind, terms.value, view.subtotal.amount);
    return { code: terms.code, amount: money(off, view.currency), goods: money(view.subtotal.amount - off, view.currency) };
  }

  /** `methods` priced by the rule of the totals, after `discount`. */
  function priced(view: CartView, methods: readonly ShippingMethod[], discount: DiscountDoc | null): ShippingOption[] {
    const terms = discountTerms(discount);
    return methods.map((method) => ({ method, price: money(shippingPrice(method, view.subtotal.amount, terms), view.currency) }));
  }

  return {
    settings: () => settings.get(),
    missingStep: async (cart: CartDoc): Promise<CheckoutStep | undefined> => missingStep(cart.checkout, await settings.get()),

    async setContact(cart: CartDoc, email: string): Promise<FieldError[]> {
      const clean = email.trim().toLowerCase();
      if (clean === '') return [{ field: 'email', messageKey: 'checkout.error.required' }];
      if (clean.length > 254 || !EMAIL.test(clean)) return [{ field: 'email', messageKey: 'checkout.error.email' }];
      await carts.updateCheckout(cart._id, { email: clean }, ['token']);
      return [];
    },

    async setAddress(cart: CartDoc, input: AddressInput): Promise<FieldError[]> {
      const result = validateAddress(input);
      if ('errors' in result) return result.errors;
      const s = await settings.get();
      if (!s.countries.includes(result.address.country)) return [{ field: 'country', messageKey: 'checkout.error.country' }];
      const keepMethod = methodsFor(s, result.address.country).some((m) => m.id === cart.checkout.shippingMethodId);
      await carts.updateCheckout(cart._id, { address: result.address }, keepMethod ? ['token'] : ['token', 'shippingMethodId']);
      return [];
    },

    async shippingOptions(cart: CartDoc): Promise<ShippingMethod[]> {
      const country = cart.checkout.address?.country;
      return country ? methodsFor(await settings.get(), country) : [];
    },

    /**
     * The discount line of the steps' side summary: the code the totals count now (null when the
     * cart has none, read without a database query, or it no longer passes its checks).
     */
    async summaryDiscount(view: CartView, userId: ObjectId | null = null): Promise<SummaryDiscount | null> {
      return summaryOf(view, await currentDiscount(view, userId));
    },

    /**
     * The shipping step: its methods, each priced by the rule of the totals (after the cart's current
     * discount), and its summary's discount, from one reading of the code (they always agree).
     */
    async shippingStep(view: CartView, userId: ObjectId | null = null): Promise<{ options: ShippingOption[]; summaryDiscount: SummaryDiscount | null }> {
      const methods = await this.shippingOptions(view.cart);
      const discount = await currentDiscount(view, userId);
      return { options: priced(view, methods, discount), summaryDiscount: summaryOf(view, discount) };
    },

    async setShipping(cart: CartDoc, methodId: string): Promise<FieldError[]> {
      const options = await this.shippingOptions(cart);
      if (!options.some((m) => m.id === methodId)) return [{ field: 'method', messageKey: 'checkout.error.method' }];
      await carts.updateCheckout(cart._id, { shippingMethodId: methodId }, ['token']);
      return [];
    },

    /** Checks the code now (dates, minimum, limits as they stand); the limits are counted at placement. */
    async applyDiscount(view: CartView, code: string, userId: ObjectId | null): Promise<DiscountRejection | undefined> {
      const clean = normalizeCode(code);
      if (clean === '' || clean.length > 64) return 'unknown';
      const discount = await discounts.findByCode(clean);
      const used = discount ? await discounts.customerUses(discount._id, customerKey(userId, view.cart.checkout.email ?? '')) : 0;
      const rejected = checkDiscount(discount, view.subtotal.amount, clock(), used);
      if (!rejected) await carts.updateCheckout(view.cart._id, { discountCode: clean }, ['token']);
      return rejected;
    },

    async removeDiscount(cart: CartDoc): Promise<void> {
      await carts.updateCheckout(cart._id, {}, ['discountCode', 'token']);
    },

    async setPaymentMethod(cart: CartDoc, method: string): Promise<void> {
      await carts.updateCheckout(cart._id, { paymentMethod: method });
    },

    /** The order as it would be placed now, and the review form's single-use token. */
    async review(view: CartView, userId: ObjectId | null = null): Promise<{ draft: OrderDraft; token: string; settings: CheckoutSettings } | { missing: CheckoutStep }> {
      const s = await settings.get();
      const draft = buildDraft(view, view.cart.checkout, s, await currentDiscount(view, userId));
      if ('missing' in draft) return draft;
      let token = view.cart.checkout.token;
      if (!token) {
        token = randomBytes(18).toString('base64url');
        await carts.updateCheckout(view.cart._id, { token });
      }
      return { draft, token, settings: s };
    },

    place: placeOrder,
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
