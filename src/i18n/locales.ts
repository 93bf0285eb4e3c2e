/** The languages of the shop. Adding one: a catalog file in ./locales/, an entry here, a `language.*` key. */
export const LOCALES = ['en', 'pt-BR', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Cookie set by the language switcher in the footer. */
export const LOCALE_COOKIE = 'locale';

/** Literal keys (not built from the code) so the unused-key check in the tests can see them. */
export const LANGUAGE_LABEL_KEYS: Readonly<Record<Locale, string>> = {
  en: 'language.en',
  'pt-BR': 'language.pt-BR',
  es: 'language.es',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps any tag to one of ours: exact (case-insensitive), then by language ("pt-PT" → "pt-BR"). */
export function matchLocale(tag: string): Locale | undefined {
  const lower = tag.trim().toLowerCase();
  if (lower === '' || lower === '*') return undefined;
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const lang = lower.split('-')[0];
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === lang);
}

/** Best locale from an Accept-Language header, honouring q-values; undefined when nothing matches. */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20) // a hostile header must not cost much
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find((m) => m !== null);
      const weight = q ? Number(q[1]) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const r of ranked) {
    const match = matchLocale(r.tag);
    if (match) return match;
  }
  return undefined;
}

/** Locale choice: explicit cookie, else Accept-Language, else the default. */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  return negotiateLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}
