import { STATUS_LABEL_KEYS, type OrderDoc, type OrderEvent, type OrderStatus } from '../orders/types.js';

/**
 * An order's timeline: the status changes (`history`), the confirmation email (`confirmationSentAt`)
 * and the other events (`events`: notes, emails, tracking, payment, stock), oldest first.
 * Labels are literal translation keys (the catalog test checks each one).
 */

export interface TimelineEntry {
  at: Date;
  kind: 'status' | OrderEvent['type'];
  labelKey: string;
  params: Record<string, string>;
  by: string;
  /** A staff note's text (internal). */
  note?: string;
}

const EMAIL_KEYS: Readonly<Record<string, string>> = {
  'order-confirmation': 'adminOrders.timeline.email.confirmation',
  'order-paid': 'adminOrders.timeline.email.paid',
  'order-shipped': 'adminOrders.timeline.email.shipped',
};

const PAYMENT_KEYS: Readonly<Record<string, string>> = {
  captured: 'adminOrders.timeline.payment.captured',
  authorized: 'adminOrders.timeline.payment.captured',
  capture_failed: 'adminOrders.timeline.payment.captureFailed',
  refunded: 'adminOrders.timeline.payment.refunded',
  refund_failed: 'adminOrders.timeline.payment.refundFailed',
};

function fromEvent(e: OrderEvent): TimelineEntry {
  const base = { at: e.at, kind: e.type, by: e.by, params: {} as Record<string, string> };
  switch (e.type) {
    case 'note':
      return { ...base, labelKey: 'adminOrders.timeline.note', note: e.text };
    case 'email':
      return { ...base, labelKey: EMAIL_KEYS[e.text] ?? 'adminOrders.timeline.email.other', params: { template: e.text } };
    case 'tracking':
      return { ...base, labelKey: 'adminOrders.timeline.tracking', params: { carrier: e.tracking?.carrier ?? '', code: e.tracking?.code ?? '' } };
    case 'payment':
      return { ...base, labelKey: PAYMENT_KEYS[e.text] ?? 'adminOrders.timeline.payment.other', params: { status: e.text } };
    case 'stock':
      return { ...base, labelKey: 'adminOrders.timeline.restocked' };
    case 'manual':
      return { ...base, labelKey: 'adminOrders.timeline.manual' };
  }
}

export function timelineOf(order: OrderDoc): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let placed = false;
  for (const h of order.history) {
    if (h.status === 'placing' || h.status === 'failed') continue;
    if (h.status === 'pending_payment' && !placed) {
      placed = true;
      entries.push({ at: h.at, kind: 'status', labelKey: 'adminOrders.timeline.placed', params: {}, by: h.by });
      continue;
    }
    entries.push({ at: h.at, kind: 'status', labelKey: 'adminOrders.timeline.status', params: { status: STATUS_LABEL_KEYS[h.status as OrderStatus] }, by: h.by });
  }
  if (order.confirmationSentAt) entries.push({ at: order.confirmationSentAt, kind: 'email', labelKey: 'adminOrders.timeline.email.confirmation', params: {}, by: 'system' });
  for (const e of order.events ?? []) entries.push(fromEvent(e));
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}
