import { randomBytes } from 'node:crypto';
import type { ObjectId } from 'mongodb';
import type { FieldError } from '../../lib/errors.js';
import { validateAddress, type AddressInput } from '../accounts/addresses.js';
import type { CartService, CartView } from '../cart/service.js';
import type { CartDoc } from '../cart/types.js';
import { checkDiscount, normalizeCode, type DiscountRejection, type DiscountRepository } from './discounts.js';
import { buildDraft, customerKey, missingStep, type CheckoutStep, type OrderDraft } from './draft.js';
import type { PlaceOrder } from './place-order.js';
import { methodsFor, type CheckoutSettings, type CheckoutSettingsRepository, type ShippingMethod } from './settings.js';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export interface CheckoutServiceDeps {
  carts: CartService;
  settings: CheckoutSettingsRepository;
  discounts: DiscountRepository;
  placeOrder: PlaceOrder;
  clock: () => Date;
}

/** The checkout steps: each validates its answer and stores it on the cart (any app instance can continue). */
export function createCheckoutService({ carts, settings, discounts, placeOrder, clock }: CheckoutServiceDeps) {
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
      const code = view.cart.checkout.discountCode;
      let discount = code ? await discounts.findByCode(code) : null;
      // Checked as the placement will check it, this customer's uses included (the email may have changed since).
      const used = discount ? await discounts.customerUses(discount._id, customerKey(userId, view.cart.checkout.email ?? '')) : 0;
      if (discount && checkDiscount(discount, view.subtotal.amount, clock(), used) !== undefined) discount = null;
      const draft = buildDraft(view, view.cart.checkout, s, discount);
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
