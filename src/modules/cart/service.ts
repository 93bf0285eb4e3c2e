import type { ObjectId } from 'mongodb';
import { multiplyMoney, sumMoney, type Money } from '../../lib/money.js';
import type { StockStore, VariantView } from '../catalog/stock.js';
import type { CartRepository } from './repository.js';
import type { CartDoc, CartLine, CartOwner, CheckoutState } from './types.js';

export const MAX_LINE_QTY = 99;
export const GUEST_CART_DAYS = 30;

export type LineProblem = 'unavailable' | 'out_of_stock' | 'insufficient_stock';

export interface CartLineView {
  variant: VariantView;
  qty: number;
  unitPrice: Money;
  lineTotal: Money;
  /** The price the customer saw before, when the catalog price changed since. */
  previousPrice: Money | undefined;
  problem: LineProblem | undefined;
}

export interface CartView {
  cart: CartDoc;
  lines: CartLineView[];
  subtotal: Money;
  itemCount: number;
  currency: string;
  /** True when every line can be ordered as it is. */
  orderable: boolean;
  priceChanged: boolean;
}

export type AddOutcome =
  | { kind: 'added'; cartId: ObjectId; qty: number }
  | { kind: 'capped'; cartId: ObjectId; qty: number; available: number }
  | { kind: 'out_of_stock' }
  | { kind: 'unavailable' };

export interface MergeResult {
  /** Units from the guest cart that the saved cart gained (after capping), not lines. */
  added: number;
  /** Lines whose summed quantity was cut down to the stock. */
  capped: number;
}

export interface CartServiceDeps {
  repository: CartRepository;
  stock: Pick<StockStore, 'readVariants'>;
  currency: () => Promise<string>;
  clock: () => Date;
}

export function createCartService({ repository, stock, currency, clock }: CartServiceDeps) {
  const guestExpiry = (): Date => new Date(clock().getTime() + GUEST_CART_DAYS * 24 * 3600 * 1000);
  const expiryFor = (cart: CartDoc): Date | null => (cart.userId ? null : guestExpiry());

  async function variantOf(variantId: ObjectId): Promise<VariantView | undefined> {
    const [v] = await stock.readVariants([variantId]);
    return v;
  }

  async function ensureCart(owner: CartOwner): Promise<CartDoc> {
    if (owner.userId) return repository.ensureForUser(owner.userId, clock());
    const existing = await repository.find(owner);
    return existing ?? repository.insertGuest(clock(), guestExpiry());
  }

  async function buildView(cart: CartDoc): Promise<CartView> {
    const variants = await stock.readVariants(cart.lines.map((l) => l.variantId));
    const byId = new Map(variants.map((v) => [v.variantId.toHexString(), v]));
    const shopCurrency = await currency();
    const lines: CartLineView[] = [];
    for (const line of cart.lines) {
      const variant = byId.get(line.variantId.toHexString());
      if (!variant) continue; // deleted from the catalog: dropped from the view (and from the order)
      const unitPrice = variant.price;
      let problem: LineProblem | undefined;
      if (!variant.published || unitPrice.currency !== shopCurrency) problem = 'unavailable';
      else if (variant.stock <= 0) problem = 'out_of_stock';
      else if (variant.stock < line.qty) problem = 'insufficient_stock';
      const changed = line.seenPrice.amount !== unitPrice.amount || line.seenPrice.currency !== unitPrice.currency;
      lines.push({ variant, qty: line.qty, unitPrice, lineTotal: multiplyMoney(unitPrice, line.qty), previousPrice: changed ? line.seenPrice : undefined, problem });
    }
    const priced = lines.filter((l) => l.problem !== 'unavailable');
    return {
      cart,
      lines,
      subtotal: sumMoney(priced.map((l) => l.lineTotal), shopCurrency),
      itemCount: lines.reduce((n, l) => n + l.qty, 0),
      currency: shopCurrency,
      orderable: lines.length > 0 && lines.every((l) => l.problem === undefined),
      priceChanged: lines.some((l) => l.previousPrice !== undefined),
    };
  }

  return {
    find: (owner: CartOwner) => repository.find(owner),
    findById: (id: ObjectId) => repository.findById(id),

    async view(owner: CartOwner): Promise<CartView | null> {
      const cart = await repository.find(owner);
      return cart ? buildView(cart) : null;
    },
    viewOf: buildView,

    /** Items in the cart, for the header (no catalog read: cheap on every page). */
    async count(owner: CartOwner): Promise<number> {
      const cart = await repository.find(owner);
      return cart ? cart.lines.reduce((n, l) => n + l.qty, 0) : 0;
    },

    /** Adds `qty` units; the line's total is capped at the stock (and MAX_LINE_QTY). */
    async add(owner: CartOwner, variantId: ObjectId, qty: number): Promise<AddOutcome> {
      const variant = await variantOf(variantId);
      if (!variant || !variant.published || variant.price.currency !== (await currency())) return { kind: 'unavailable' };
      if (variant.stock <= 0) return { kind: 'out_of_stock' };
      const cart = await ensureCart(owner);
      const now = clock();
      const current = cart.lines.find((l) => l.variantId.equals(variantId))?.qty ?? 0;
      const limit = Math.min(variant.stock, MAX_LINE_QTY);
      const wanted = current + qty;
      const next = Math.min(wanted, limit);
      const line: CartLine = { productId: variant.productId, variantId, qty: next, seenPrice: variant.price, addedAt: now };
      // The cart just read says which update applies (one round trip); a line added meanwhile by a
      // concurrent request makes the push match nothing, and the quantity is set instead.
      const updated = current > 0 && (await repository.setLineQty(cart._id, variantId, next, now, expiryFor(cart)));
      if (!updated && !(await repository.pushLine(cart._id, line, now, expiryFor(cart)))) {
        await repository.setLineQty(cart._id, variantId, next, now, expiryFor(cart));
      }
      return next < wanted ? { kind: 'capped', cartId: cart._id, qty: next, available: limit } : { kind: 'added', cartId: cart._id, qty: next };
    },

    /** Sets a quantity (0 removes); capped at the stock like add. Returns the quantity kept. */
    async setQuantity(owner: CartOwner, variantId: ObjectId, qty: number): Promise<{ qty: number; capped: boolean } | null> {
      const cart = await repository.find(owner);
      if (!cart || !cart.lines.some((l) => l.variantId.equals(variantId))) return null;
      if (qty <= 0) {
        await repository.removeLine(cart._id, variantId, clock());
        return { qty: 0, capped: false };
      }
      const variant = await variantOf(variantId);
      const limit = Math.min(variant?.stock ?? 0, MAX_LINE_QTY);
      const next = Math.max(Math.min(qty, limit), 0);
      if (next === 0) await repository.removeLine(cart._id, variantId, clock());
      else await repository.setLineQty(cart._id, variantId, next, clock(), expiryFor(cart));
      return { qty: next, capped: next < qty };
    },

    async remove(owner: CartOwner, variantId: ObjectId): Promise<boolean> {
      const cart = await repository.find(owner);
      if (!cart) return false;
      await repository.removeLine(cart._id, variantId, clock());
      return true;
    },

    /** The customer has seen the current prices: no more "price changed" notice for them. */
    async acknowledgePrices(view: CartView): Promise<void> {
      const changed = view.lines.filter((l) => l.previousPrice !== undefined);
      await repository.setSeenPrices(view.cart._id, changed.map((l) => ({ variantId: l.variant.variantId, ...l.unitPrice })));
    },

    /**
     * At login: the guest cart's lines join the user's saved cart (quantities summed, capped at the
     * stock); the guest cart is deleted. Nothing to do without a guest cart.
     */
    async mergeAtLogin(guestCartId: ObjectId | undefined, userId: ObjectId): Promise<MergeResult | null> {
      if (!guestCartId) return null;
      const guest = await repository.find({ cartId: guestCartId });
      if (!guest || guest.lines.length === 0) {
        if (guest) await repository.delete(guest._id);
        return null;
      }
      const saved = await repository.ensureForUser(userId, clock());
      const variants = await stock.readVariants(guest.lines.map((l) => l.variantId));
      const stockOf = new Map(variants.map((v) => [v.variantId.toHexString(), v.stock]));
      const lines = saved.lines.map((l) => ({ ...l }));
      let capped = 0;
      let added = 0;
      for (const g of guest.lines) {
        const existing = lines.find((l) => l.variantId.equals(g.variantId));
        const limit = Math.min(stockOf.get(g.variantId.toHexString()) ?? 0, MAX_LINE_QTY);
        const before = existing?.qty ?? 0;
        const wanted = before + g.qty;
        const qty = Math.min(wanted, limit);
        if (qty < wanted) capped++;
        added += Math.max(0, qty - before);
        if (existing) existing.qty = qty;
        else if (qty > 0) lines.push({ ...g, qty });
      }
      await repository.replaceLines(saved._id, lines.filter((l) => l.qty > 0), clock());
      await repository.delete(guest._id);
      return { added, capped };
    },

    async updateCheckout(cartId: ObjectId, patch: Partial<CheckoutState>, unset: readonly (keyof CheckoutState)[] = []): Promise<void> {
      await repository.setCheckout(cartId, patch, unset);
    },

    async emptyAfterOrder(cartId: ObjectId, token: string): Promise<void> {
      await repository.emptyAfterOrder(cartId, token, clock());
    },

    /** The token's placement failed (it is single-use, backed by a unique index): the review form gets a fresh one. */
    async dropCheckoutToken(cartId: ObjectId, token: string): Promise<void> {
      await repository.dropToken(cartId, token);
    },
  };
}

export type CartService = ReturnType<typeof createCartService>;
