import { LOCALES, type Locale } from '../../i18n/locales.js';
import { fold } from '../../lib/fold.js';
import type { Translated } from './types.js';

/** The text in `locale`, else English (always present). */
export function pick(text: Translated | undefined, locale: Locale): string {
  if (text === undefined) return '';
  if (locale === 'en') return text.en;
  const value = text[locale];
  return value !== undefined && value !== '' ? value : text.en;
}

/**
 * A product's `sortTitle` (the back office's sort by title): the English title, or the first title
 * present in the shop's language order when there is no English one, folded (case and accents
 * ignored: "apple" before "Zebra", "Élan" beside "elan"). Reads stored documents too, so it
 * tolerates a title that is missing or not a string.
 */
export function sortTitleOf(title: Partial<Record<Locale, unknown>> | undefined): string {
  for (const locale of LOCALES) {
    const value = title?.[locale];
    if (typeof value === 'string' && value !== '') return fold(value);
  }
  return '';
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
