import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { minorUnitDigits, type Money } from '../../lib/money.js';
import type { OrderDoc } from '../orders/types.js';

/**
 * The orders CSV: stable column names (for spreadsheets and scripts), amounts as plain decimals,
 * dates in ISO 8601 UTC. Written row by row from a cursor, so its size does not matter.
 */

export const CSV_COLUMNS = [
  'number', 'placed_at', 'status', 'email', 'name', 'country', 'items', 'subtotal', 'discount', 'shipping', 'tax', 'total', 'currency',
  'payment_method', 'payment_status', 'carrier', 'tracking',
] as const;

/** "1234" minor units → "12.34" (no locale: a CSV is read by programs). */
export function decimal(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  if (digits === 0) return String(value.amount);
  const sign = value.amount < 0 ? '-' : '';
  const abs = String(Math.abs(value.amount)).padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with a quote. */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvRow(order: OrderDoc): Record<(typeof CSV_COLUMNS)[number], string> {
  const tax = order.taxes.reduce((sum, t) => sum + t.amount.amount, 0);
  return {
    number: String(order.number ?? ''),
    placed_at: (order.placedAt ?? order.createdAt).toISOString(),
    status: order.status,
    email: safeCell(order.email),
    name: safeCell(order.address.fullName),
    country: order.address.country,
    items: String(order.lines.reduce((n, l) => n + l.qty, 0)),
    subtotal: decimal(order.subtotal),
    discount: order.discount ? decimal(order.discount.amount) : decimal({ amount: 0, currency: order.currency }),
    shipping: decimal(order.shipping.amount),
    tax: decimal({ amount: tax, currency: order.currency }),
    total: decimal(order.total),
    currency: order.currency,
    payment_method: order.payment.method,
    payment_status: order.payment.status,
    carrier: safeCell(order.tracking?.carrier ?? ''),
    tracking: safeCell(order.tracking?.code ?? ''),
  };
}

/** A CSV stream of the orders (backpressure respected; a cursor error ends the stream with it). */
export function ordersCsv(orders: AsyncIterable<OrderDoc>): Stringifier {
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], bom: true });
  void (async () => {
    try {
      for await (const order of orders) {
        if (!csv.write(csvRow(order))) await once(csv, 'drain');
      }
      csv.end();
    } catch (error) {
      csv.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return csv;
}
