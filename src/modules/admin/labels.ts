import type { Role } from '../accounts/repository.js';
import type { OrderStatus } from '../orders/types.js';

/** Translation keys of closed value sets, spelled out so every key is checked (test/unit/i18n-catalog). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  customer: 'admin.role.customer',
  staff: 'admin.role.staff',
  admin: 'admin.role.admin',
};

export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  pending_payment: 'orders.status.pending_payment',
  paid: 'orders.status.paid',
  fulfilled: 'orders.status.fulfilled',
  completed: 'orders.status.completed',
  cancelled: 'orders.status.cancelled',
  refunded: 'orders.status.refunded',
};
