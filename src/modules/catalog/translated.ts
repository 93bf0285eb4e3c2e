import type { Locale } from '../../i18n/locales.js';
import type { Translated } from './types.js';

/** The text in `locale`, else English (always present). */
export function pick(text: Translated | undefined, locale: Locale): string {
  if (text === undefined) return '';
  if (locale === 'en') return text.en;
  const value = text[locale];
  return value !== undefined && value !== '' ? value : text.en;
}

/** Applies `fn` to every language of a Translated. */
export function mapTranslated(text: Translated, fn: (value: string) => string): Translated {
  const out: Translated = { en: fn(text.en) };
  for (const [locale, value] of Object.entries(text)) {
    if (locale !== 'en' && typeof value === 'string') (out as Record<string, string>)[locale] = fn(value);
  }
  return out;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: string): boolean {
  return value.length > 0 && value.length <= 120 && SLUG.test(value);
}
