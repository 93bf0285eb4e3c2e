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

export type DateStyle = 'short' | 'medium' | 'long';

export function formatDate(value: Date, locale: string, style: DateStyle = 'medium', timeZone = 'UTC'): string {
  return cached(`d|${locale}|${style}|${timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone })).format(value);
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
