import { catalogs } from './catalogs.js';
import { DEFAULT_LOCALE, type Locale } from './locales.js';

/**
 * A parameter may itself be a message, translated in the same language before it is put in
 * (with its own plural form): one sentence can then hold two counts, each agreeing with its noun.
 */
export interface NestedMessage {
  readonly key: string;
  readonly params?: MessageParams;
}
export type MessageParams = Readonly<Record<string, string | number | NestedMessage>>;
export type Translate = (key: string, params?: MessageParams) => string;

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralCategory(locale: Locale, count: number): string {
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

function lookup(locale: Locale, key: string, params: MessageParams | undefined): string | undefined {
  const catalog = catalogs[locale];
  const count = params?.count;
  if (typeof count === 'number') {
    const plural = catalog[`${key}.${pluralCategory(locale, count)}`] ?? catalog[`${key}.other`];
    if (plural !== undefined) return plural;
  }
  return catalog[key];
}

/**
 * t(key, params) for one locale. Parameters replace `{name}`; numbers are formatted for the locale.
 * A missing key falls back to English, then to the key itself (visible, so it gets noticed and fixed).
 */
export function createTranslator(locale: Locale): Translate {
  const numbers = new Intl.NumberFormat(locale);
  const t: Translate = (key, params) => {
    const text = lookup(locale, key, params) ?? lookup(DEFAULT_LOCALE, key, params) ?? key;
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      if (typeof value === 'object') return t(value.key, value.params);
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
  return t;
}

export function hasMessage(locale: Locale, key: string): boolean {
  return key in catalogs[locale] || `${key}.other` in catalogs[locale];
}
