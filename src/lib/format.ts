/** Dates and numbers for a locale, through Intl (formatters are cached: they are costly to build). */

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (f === undefined) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

/**
 * Texts already made, by what they were made from: down a list, prices and days repeat, and one call
 * of Intl's format costs more than the rest of a table cell. Emptied whole when full.
 */
const texts = new Map<string, string>();
const TEXTS_MAX = 10_000;

export function rememberedText(key: string, make: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    text = make();
    if (texts.size >= TEXTS_MAX) texts.clear();
    texts.set(key, text);
  }
  return text;
}

export type DateStyle = 'short' | 'medium' | 'long';
const DAY_MS = 86_400_000;

export function formatDate(value: Date, locale: string, style: DateStyle = 'medium', timeZone = 'UTC'): string {
  const format = cached(`d|${locale}|${style}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone }));
  const day = Math.floor(value.getTime() / DAY_MS);
  // In UTC a date's text depends on its day alone (elsewhere days are not 24 h apart: no shortcut).
  if (timeZone !== 'UTC' || !Number.isFinite(day)) return format.format(value);
  return rememberedText(`d|${locale}|${style}|${day}`, () => format.format(value));
}

export function formatDateTime(value: Date, locale: string, timeZone = 'UTC'): string {
  return cached(
    `dt|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  ).format(value);
}

export function formatNumber(value: number, locale: string, maximumFractionDigits = 2): string {
  return cached(`n|${locale}|${maximumFractionDigits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits })).format(value);
}

const MEGABYTE = 1024 * 1024;

/**
 * A size limit for people: megabytes in the locale's number format ("50 MB", "2,5 MB"). Binary
 * megabytes (MiB) labelled MB, as the upload forms label their limits.
 */
export function formatMegabytes(bytes: number, locale: string): string {
  return `${formatNumber(bytes / MEGABYTE, locale, 1)} MB`;
}
