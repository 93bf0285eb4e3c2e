import type { ObjectId } from 'mongodb';
import type { Money } from '../../lib/money.js';
import type { Address as BookAddress } from '../accounts/addresses.js';

/** A postal address as the checkout stores it: the accounts module's address, without its book id. */
export type Address = Omit<BookAddress, 'id'>;

export interface CartLine {
  productId: ObjectId;
  variantId: ObjectId;
  qty: number;
  /** The unit price the customer last saw: a different current price shows a notice. */
  seenPrice: Money;
  addedAt: Date;
}

/** What the checkout steps collected so far; kept on the cart so any app instance can continue. */
export interface CheckoutState {
  email?: string;
  address?: Address;
  shippingMethodId?: string;
  discountCode?: string;
  paymentMethod?: string;
  /** Single-use token of the review form; the orders' unique index makes a replay give the same order. */
  token?: string;
}

export interface CartDoc {
  _id: ObjectId;
  /** null for a guest cart (referenced from the session). */
  userId: ObjectId | null;
  lines: CartLine[];
  checkout: CheckoutState;
  /** Guest carts expire (TTL index); a user's saved cart has null. */
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who is shopping: a signed-in user, else the guest cart id from the session. */
export interface CartOwner {
  userId?: ObjectId | undefined;
  cartId?: ObjectId | undefined;
}
