/**
 * Money is an integer number of minor units (cents) plus an ISO 4217 currency code.
 * Never use floats for amounts; convert only for display (Intl) and when parsing user input.
 */
import { rememberedText } from './format.js';

export interface Money {
  /** Integer minor units, e.g. 1999 = 19.99 for EUR. */
  readonly amount: number;
  /** ISO 4217 code, upper case, e.g. "EUR", "BRL". */
  readonly currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

const digitsByCurrency = new Map<string, number>();

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY), as Intl knows it. */
export function minorUnitDigits(currency: string): number {
  // Remembered: resolvedOptions() builds a new object per call (a list page formats hundreds of prices).
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyFormatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money amount must be an integer number of minor units (got ${amount})`);
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Currency must be an ISO 4217 code (got "${currency}")`);
  return { amount, currency };
}

/** "€19.99" / "R$ 19,99" / "19,99 €" depending on the locale. */
export function formatMoney(value: Money, locale: string): string {
  return rememberedText(`m|${locale}|${value.currency}|${value.amount}`, () =>
    currencyFormatter(locale, value.currency).format(value.amount / 10 ** minorUnitDigits(value.currency)),
  );
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`Currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be an integer (got ${quantity})`);
  return money(a.amount * quantity, a.currency);
}

export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce((total, m) => addMoney(total, m), money(0, currency));
}

/**
 * Parses what a person types in a price field ("19.99", "19,99", "1.299,00", "1,299.00", "20")
 * into minor units. The last "." or "," followed by 1..digits digits is the decimal separator.
 * Returns undefined when the text is not a plain amount.
 */
export function parseMoneyInput(text: string, currency: string): Money | undefined {
  const digits = minorUnitDigits(currency);
  const s = text.trim().replace(/[\s\u00a0']/g, '');
  if (!/^-?[\d.,]+$/.test(s)) return undefined;
  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  const m = digits > 0 ? new RegExp(`^(.*?)[.,](\\d{1,${digits}})$`).exec(body) : null;
  const intPart = (m ? m[1] ?? '' : body).replace(/[.,]/g, '');
  const fracPart = m ? (m[2] ?? '').padEnd(digits, '0') : '0'.repeat(digits);
  if (intPart === '' && fracPart.replace(/0/g, '') === '' && !m) return undefined;
  if (!/^\d*$/.test(intPart)) return undefined;
  const amount = Number(intPart || '0') * 10 ** digits + Number(fracPart || '0');
  if (!Number.isSafeInteger(amount)) return undefined;
  return money(negative ? -amount : amount, currency);
}
