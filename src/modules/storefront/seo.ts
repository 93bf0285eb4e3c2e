import { LOCALES, type Locale } from '../../i18n/locales.js';

/**
 * What the page head says to search engines and link previews. Language in URLs: `?lang=xx`
 * selects the language for that request (over cookie and Accept-Language); the URL without it is
 * the x-default (negotiated). A page's canonical keeps the lang parameter it was asked with.
 */
export interface SeoHead {
  title: string;
  description: string;
  canonical: string;
  alternates: { hreflang: string; href: string }[];
  og: { type: string; title: string; description: string; url: string; image?: string; locale: string };
  /** JSON-LD blocks, already serialised safely for a <script> element. */
  jsonLd: string[];
  noindex?: boolean;
}

export function withLang(path: string, locale: Locale): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', locale);
  return url.pathname + url.search;
}

/** hreflang alternates of a path: one per language plus x-default (no parameter). */
export function alternates(baseUrl: string, path: string): SeoHead['alternates'] {
  return [
    ...LOCALES.map((l) => ({ hreflang: l, href: baseUrl + withLang(path, l) })),
    { hreflang: 'x-default', href: baseUrl + path },
  ];
}

/**
 * JSON for inside <script type="application/ld+json">: `<`, `>` and `&` become \u escapes so no
 * text can close the element ("</script>") or open a comment; U+2028/2029 are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A meta description: plain text, one line, at most ~160 characters, cut at a word. */
export function metaDescription(text: string, max = 160): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…';
}

const OG_LOCALES: Readonly<Record<Locale, string>> = { en: 'en_US', 'pt-BR': 'pt_BR', es: 'es_ES' };

export interface HeadInput {
  baseUrl: string;
  /** Path without the lang parameter, e.g. /p/blue-shirt?page=2. */
  path: string;
  locale: Locale;
  /** The request chose its language with ?lang=. */
  explicitLang: boolean;
  title: string;
  description: string;
  type?: string;
  image?: string;
  jsonLd?: unknown[];
  noindex?: boolean;
}

export function buildHead(input: HeadInput): SeoHead {
  const canonical = input.baseUrl + (input.explicitLang ? withLang(input.path, input.locale) : input.path);
  const description = metaDescription(input.description);
  return {
    title: input.title,
    description,
    canonical,
    alternates: alternates(input.baseUrl, input.path),
    og: {
      type: input.type ?? 'website',
      title: input.title,
      description,
      url: canonical,
      ...(input.image ? { image: input.baseUrl + input.image } : {}),
      locale: OG_LOCALES[input.locale],
    },
    jsonLd: (input.jsonLd ?? []).map(jsonForScript),
    ...(input.noindex ? { noindex: true } : {}),
  };
}

export function breadcrumbJsonLd(baseUrl: string, crumbs: readonly { name: string; href: string }[]): unknown {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: baseUrl + c.href })),
  };
}
