import type { PaymentStatus } from '../payments/types.js';

/** Literal translation keys of payment statuses (the catalog test sees each one). */
export const PAYMENT_STATUS_KEYS: Readonly<Record<PaymentStatus, string>> = {
  awaiting: 'adminOrders.payment.awaiting',
  authorized: 'adminOrders.payment.authorized',
  captured: 'adminOrders.payment.captured',
  refunded: 'adminOrders.payment.refunded',
  failed: 'adminOrders.payment.failed',
};
