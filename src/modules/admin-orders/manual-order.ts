import { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import { isLocale } from '../../i18n/locales.js';
import type { FieldError } from '../../lib/errors.js';
import type { AccountsService } from '../accounts/service.js';
import type { CartService } from '../cart/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { StockStore } from '../catalog/stock.js';
import type { CheckoutService } from '../checkout/service.js';
import type { OrdersService } from '../orders/service.js';
import type { PlacedOrder } from '../orders/types.js';
import { isPaymentMethod, type PaymentMethodId } from '../payments/types.js';

/**
 * Manual orders (offline sales) go through the checkout's own steps, not a copy of them: the lines
 * are put in a fresh guest cart, the contact/address/shipping steps validate the answers, and
 * place-order claims the token, reserves the stock line by line and numbers the order exactly as
 * for a customer. The form's single-use key is the checkout token, so a double submit gives one order.
 */

export const MANUAL_LINES = 6;
export const MAX_QTY = 99;

export interface ManualOrderInput {
  formKey: string;
  email: string;
  locale: string;
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
  shippingMethod: string;
  paymentMethod: string;
  lines: { sku: string; qty: string }[];
}

export type ManualOutcome = { kind: 'placed'; order: PlacedOrder; replay: boolean } | { kind: 'invalid'; errors: FieldError[] };

export interface ManualOrderDeps {
  cart: CartService;
  checkout: Pick<CheckoutService, 'setContact' | 'setAddress' | 'setShipping' | 'review' | 'place'>;
  orders: Pick<OrdersService, 'byToken'>;
  stock: Pick<StockStore, 'readVariants'>;
  catalog: Pick<CatalogService, 'variantsBySku'>;
  /** A known customer's email links the order to their account (their order history shows it). */
  accounts: Pick<AccountsService, 'findIdByEmail'>;
}

const invalid = (errors: FieldError[]): ManualOutcome => ({ kind: 'invalid', errors });

export function createManualOrders(deps: ManualOrderDeps) {
  const { cart, checkout } = deps;

  /** Rows with a SKU → { variantId, qty }, or per-row errors. */
  async function resolveLines(rows: ManualOrderInput['lines']): Promise<{ lines: { variantId: ObjectId; qty: number }[]; errors: FieldError[] }> {
    const errors: FieldError[] = [];
    const wanted: { row: number; sku: string; qty: number }[] = [];
    rows.forEach((line, i) => {
      const sku = line.sku.trim();
      if (sku === '') return;
      const qty = /^\d{1,3}$/.test(line.qty.trim()) ? Number(line.qty.trim()) : NaN;
      if (!(qty >= 1 && qty <= MAX_QTY)) errors.push({ field: `qty${i + 1}`, messageKey: 'adminOrders.manual.error.qty', params: { max: MAX_QTY } });
      else if (wanted.some((w) => w.sku === sku)) errors.push({ field: `sku${i + 1}`, messageKey: 'adminOrders.manual.error.duplicate' });
      else wanted.push({ row: i + 1, sku, qty });
    });
    if (wanted.length === 0 && errors.length === 0) return { lines: [], errors: [{ field: 'sku1', messageKey: 'adminOrders.manual.error.noLines' }] };
    const found = await deps.catalog.variantsBySku(wanted.map((w) => w.sku));
    const ids = new Map([...found].map(([sku, v]) => [sku, v.variantId]));
    const variants = await deps.stock.readVariants([...ids.values()]);
    const lines: { variantId: ObjectId; qty: number }[] = [];
    for (const w of wanted) {
      const id = ids.get(w.sku);
      const variant = id && variants.find((v) => v.variantId.equals(id));
      if (!variant) errors.push({ field: `sku${w.row}`, messageKey: 'adminOrders.manual.error.sku' });
      else if (!variant.published) errors.push({ field: `sku${w.row}`, messageKey: 'adminOrders.manual.error.unpublished' });
      else if (variant.stock < w.qty) errors.push({ field: `qty${w.row}`, messageKey: 'adminOrders.manual.error.stock', params: { available: variant.stock } });
      else lines.push({ variantId: variant.variantId, qty: w.qty });
    }
    return { lines, errors };
  }

  /** The order another submit is placing with this token, once placed (a few seconds at most). */
  async function awaitPlaced(token: string): Promise<PlacedOrder | null> {
    for (let i = 0; i < 100; i++) {
      const order = await deps.orders.byToken(token);
      if (order) return order;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  }

  return {
    async create(input: ManualOrderInput): Promise<ManualOutcome> {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(input.formKey)) return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.stale' }]);
      const existing = await deps.orders.byToken(input.formKey);
      if (existing) return { kind: 'placed', order: existing, replay: true };

      const errors: FieldError[] = [];
      if (!isLocale(input.locale)) errors.push({ field: 'locale', messageKey: 'adminOrders.manual.error.locale' });
      if (!isPaymentMethod(input.paymentMethod)) errors.push({ field: 'paymentMethod', messageKey: 'adminOrders.manual.error.payment' });
      const { lines: resolved, errors: lineErrors } = await resolveLines(input.lines);
      errors.push(...lineErrors);
      if (errors.length > 0) return invalid(errors);

      // A fresh guest cart holds the lines (it expires like any guest cart once emptied by the order).
      let cartId: ObjectId | undefined;
      for (const line of resolved) {
        const added = await cart.add({ cartId }, line.variantId, line.qty);
        if (added.kind === 'out_of_stock' || added.kind === 'unavailable') return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.changed' }]);
        if (added.kind === 'capped') return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.changed' }]);
        cartId = added.cartId;
      }
      if (!cartId) return invalid([{ field: 'sku1', messageKey: 'adminOrders.manual.error.noLines' }]);
      const current = async () => {
        const c = await cart.findById(cartId);
        if (!c) throw new Error('manual order cart vanished');
        return c;
      };
      const stepErrors = [
        ...(await checkout.setContact(await current(), input.email)),
        ...(await checkout.setAddress(await current(), {
          fullName: input.fullName, line1: input.line1, line2: input.line2, city: input.city, region: input.region,
          postalCode: input.postalCode, country: input.country, phone: input.phone,
        })),
      ];
      if (stepErrors.length === 0) {
        const shipping = await checkout.setShipping(await current(), input.shippingMethod);
        stepErrors.push(...shipping.map((e) => ({ ...e, field: 'shippingMethod' })));
      }
      if (stepErrors.length > 0) return invalid(stepErrors);

      // The form's key becomes the checkout token (review keeps a token that is already there).
      await cart.updateCheckout(cartId, { token: input.formKey, paymentMethod: input.paymentMethod });
      const review = await checkout.review(await cart.viewOf(await current()));
      if ('missing' in review) return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.changed' }]);
      const accountId = await deps.accounts.findIdByEmail(input.email);
      const userId = accountId === null ? null : new ObjectId(accountId);
      const outcome = await checkout.place({ cartId, token: review.token, userId, locale: input.locale as Locale, paymentMethod: input.paymentMethod as PaymentMethodId });
      if (outcome.kind === 'placed') return { kind: 'placed', order: outcome.order, replay: outcome.replay };
      // Another submit of the same form won the token (its own cart, so 'stale' here): that order is the answer.
      const winner = await awaitPlaced(input.formKey);
      if (winner) return { kind: 'placed', order: winner, replay: true };
      if (outcome.kind === 'failed' && outcome.failure.reason === 'short') return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.changed' }]);
      return invalid([{ field: '_form', messageKey: 'adminOrders.manual.error.failed' }]);
    },
  };
}

export type ManualOrders = ReturnType<typeof createManualOrders>;
