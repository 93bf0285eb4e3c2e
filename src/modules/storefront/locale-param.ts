import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLocale, LOCALES, type Locale } from '../../i18n/locales.js';
import { createTranslator, type Translate } from '../../i18n/translate.js';
import { withLang } from './seo.js';

const translators = Object.fromEntries(LOCALES.map((l) => [l, createTranslator(l)])) as Record<Locale, Translate>;
const explicit = new WeakSet<FastifyRequest>();

/**
 * `?lang=pt-BR` wins over the cookie and Accept-Language for this request (crawlable language
 * versions, see seo.ts). Registered in the storefront plugins until the i18n plugin does it for
 * every page (requested from H6 in REQUESTS.md).
 */
export function useLangParameter(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const lang = query?.lang;
    if (isLocale(lang)) {
      request.locale = lang;
      request.t = translators[lang];
      explicit.add(request);
    }
  });
}

export function hasExplicitLang(request: FastifyRequest): boolean {
  return explicit.has(request);
}

/** Internal links keep the language the page was asked in with ?lang=. */
export function linker(request: FastifyRequest): (path: string) => string {
  if (!explicit.has(request)) return (path) => path;
  const locale = request.locale;
  return (path) => withLang(path, locale);
}
