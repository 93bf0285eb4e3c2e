import type { Money } from '../../lib/money.js';

/**
 * A way to pay. Bank transfer and cash on delivery settle outside the shop; a card gateway can
 * implement the same interface later (authorize at placement, capture on shipping, webhooks for
 * asynchronous results).
 */

export type PaymentMethodId = 'bank_transfer' | 'cash_on_delivery';
export const PAYMENT_METHODS: readonly PaymentMethodId[] = ['bank_transfer', 'cash_on_delivery'];

export function isPaymentMethod(value: unknown): value is PaymentMethodId {
  return typeof value === 'string' && (PAYMENT_METHODS as readonly string[]).includes(value);
}

/** What a provider needs to know about the order. */
export interface PaymentOrder {
  orderId: string;
  number: number;
  total: Money;
}

export type PaymentStatus = 'awaiting' | 'authorized' | 'captured' | 'refunded' | 'failed';

export interface BankInstructions {
  beneficiary: string;
  iban: string;
  bic: string;
  /** The text to put in the transfer: the order number. */
  reference: string;
  amount: Money;
}

export interface PaymentResult {
  status: PaymentStatus;
  /** Provider's reference (a gateway's transaction id), if any. */
  reference?: string;
  /** Bank transfer: what the customer must do. */
  instructions?: BankInstructions;
}

export interface WebhookEvent {
  orderId: string;
  status: PaymentStatus;
  reference?: string;
}

export interface PaymentProvider {
  readonly id: PaymentMethodId;
  /** Bank transfers wait for the money: such orders are cancelled automatically when unpaid too long. */
  readonly autoCancelUnpaid: boolean;
  authorize(order: PaymentOrder): Promise<PaymentResult>;
  capture(order: PaymentOrder): Promise<PaymentResult>;
  refund(order: PaymentOrder, amount: Money): Promise<PaymentResult>;
  /** Verifies and interprets a provider callback; null when this provider has none or it is not genuine. */
  handleWebhook(body: unknown, headers: Readonly<Record<string, string | string[] | undefined>>): Promise<WebhookEvent | null>;
}

/** Literal translation keys of each method's label and hint. */
export const PAYMENT_LABEL_KEYS: Readonly<Record<PaymentMethodId, { label: string; hint: string }>> = {
  bank_transfer: { label: 'checkout.payment.bank_transfer', hint: 'checkout.payment.bank_transfer.hint' },
  cash_on_delivery: { label: 'checkout.payment.cash_on_delivery', hint: 'checkout.payment.cash_on_delivery.hint' },
};
