import type { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import type { Money } from '../../lib/money.js';
import type { Address } from '../cart/types.js';
import type { Translated } from '../catalog/types.js';
import type { TaxLine } from '../checkout/totals.js';
import type { BankInstructions, PaymentMethodId, PaymentStatus } from '../payments/types.js';

/**
 * `placing`: the intent written before any stock is taken (the journal of a placement);
 * `failed`: a placement that did not complete (never shown to the customer as an order).
 * The others are the customer-visible statuses.
 */
export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilled', 'completed', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PlacementStatus = 'placing' | 'failed';

export interface OrderLine {
  productId: ObjectId;
  variantId: ObjectId;
  slug: string;
  sku: string;
  title: Translated;
  optionLabels: Translated[];
  unitPrice: Money;
  qty: number;
  lineTotal: Money;
  digital: { fileId: ObjectId; fileName: string; maxDownloads: number; downloads: number } | null;
}

export interface ShortLine {
  title: Translated;
  available: number;
}

export type PlacementFailure =
  | { reason: 'short'; items: ShortLine[] }
  | { reason: 'discount_used_up' }
  | { reason: 'interrupted' };

export interface OrderDoc {
  _id: ObjectId;
  /** Human-readable sequential number (set right after the token is claimed). */
  number: number | null;
  checkoutToken: string;
  cartId: ObjectId;
  userId: ObjectId | null;
  email: string;
  locale: Locale;
  status: OrderStatus | PlacementStatus;
  lines: OrderLine[];
  address: Address;
  shipping: { methodId: string; name: Translated; amount: Money; pickup: boolean };
  discount: { id: ObjectId; code: string; amount: Money; customerKey: string; perCustomer: boolean } | null;
  subtotal: Money;
  taxes: TaxLine[];
  pricesIncludeTax: boolean;
  total: Money;
  currency: string;
  payment: { method: PaymentMethodId; status: PaymentStatus; instructions?: BankInstructions; reference?: string };
  tracking?: { carrier: string; code: string; url?: string };
  /** Placement bookkeeping: until when the placing process owns it; why it failed. */
  placement: { leaseUntil: Date; failure?: PlacementFailure };
  /** A cancelled order's stock return: 'due' until every line is back, then 'done'. */
  restock?: 'due' | 'done';
  /** A cancelled or refunded order's discount-code use: 'due' until given back, then 'done'. */
  discountReturn?: 'due' | 'done';
  history: { status: OrderStatus | PlacementStatus; at: Date; by: string; note?: string }[];
  /** The timeline's other entries (staff notes, emails sent, tracking, refunds), appended with $push. */
  events?: OrderEvent[];
  confirmationSentAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  placedAt?: Date;
  paidAt?: Date;
  cancelledAt?: Date;
  fulfilledAt?: Date;
  completedAt?: Date;
  refundedAt?: Date;
  /** Set when the customer's account was deleted and the personal data removed. */
  anonymisedAt?: Date;
}

export type PlacedOrder = OrderDoc & { status: OrderStatus; number: number };

export function isPlaced(order: OrderDoc): order is PlacedOrder {
  return order.status !== 'placing' && order.status !== 'failed' && order.number !== null;
}

export function reserveKey(orderId: ObjectId, variantId: ObjectId): string {
  return `reserve:${orderId.toHexString()}:${variantId.toHexString()}`;
}

export function restockKey(orderId: ObjectId, variantId: ObjectId): string {
  return `restock:${orderId.toHexString()}:${variantId.toHexString()}`;
}

/**
 * Allowed status changes (issue 7): pending_payment → paid → fulfilled → completed; cancel from
 * pending_payment or paid; refund from paid or fulfilled. Every other change is refused.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['fulfilled', 'cancelled', 'refunded'],
  fulfilled: ['completed', 'refunded'],
  completed: [],
  cancelled: [],
  refunded: [],
};

/** The statuses from which `to` may be reached. */
export function allowedFrom(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

/**
 * One timeline entry besides the status changes (which are in `history`):
 * a staff note (internal), an email sent, a tracking number, a refund or capture result, an order
 * entered by staff (offline sale).
 */
export interface OrderEvent {
  type: 'note' | 'email' | 'tracking' | 'payment' | 'stock' | 'manual';
  at: Date;
  /** Who: a staff email, 'customer' or 'system'. */
  by: string;
  /** Note text, email template name, payment or stock detail. */
  text: string;
  tracking?: { carrier: string; code: string; url?: string };
}

/** Literal translation keys of the statuses. */
export const STATUS_LABEL_KEYS: Readonly<Record<OrderStatus, string>> = {
  pending_payment: 'orders.status.pending_payment',
  paid: 'orders.status.paid',
  fulfilled: 'orders.status.fulfilled',
  completed: 'orders.status.completed',
  cancelled: 'orders.status.cancelled',
  refunded: 'orders.status.refunded',
};
