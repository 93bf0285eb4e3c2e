import { LOCALES, type Locale } from '../../i18n/locales.js';
import { fold } from '../../lib/fold.js';
import type { SortTitles, Translated } from './types.js';

/** The text in `locale`, else English (always present). */
export function pick(text: Translated | undefined, locale: Locale): string {
  if (text === undefined) return '';
  if (locale === 'en') return text.en;
  const value = text[locale];
  return value !== undefined && value !== '' ? value : text.en;
}

/**
 * A product's `sortTitles`: for each language of the shop, the title the storefront shows in it
 * (`pick`: that language's title, else the English one), folded (case and accents ignored: "apple"
 * before "Zebra", "Árvore" among the a's). Reads stored documents too, so it tolerates a title that
 * is missing or not a string (an empty string then).
 */
export function sortTitlesOf(title: Partial<Record<Locale, unknown>> | undefined): SortTitles {
  const text = (locale: Locale): string => {
    const value = title?.[locale];
    return typeof value === 'string' ? value : '';
  };
  const shown: Translated = { en: text('en') };
  for (const locale of LOCALES) if (locale !== 'en') shown[locale] = text(locale);
  return Object.fromEntries(LOCALES.map((locale) => [locale, fold(pick(shown, locale))])) as SortTitles;
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
