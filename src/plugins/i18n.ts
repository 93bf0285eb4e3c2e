import fp from 'fastify-plugin';
import { isLocale, LOCALES, LOCALE_COOKIE, resolveLocale, type Locale } from '../i18n/locales.js';
import { createTranslator, type Translate } from '../i18n/translate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The locale asked for with `?lang=` on this URL, or null (src/plugins/i18n.ts). */
    langParam: Locale | null;
  }
}

/** Query parameter naming the language of one URL: crawlable language versions (hreflang). */
export const LANG_PARAM = 'lang';

function langFromQuery(query: unknown): Locale | null {
  if (typeof query !== 'object' || query === null || !(LANG_PARAM in query)) return null;
  const value: unknown = (query as Record<string, unknown>)[LANG_PARAM];
  return isLocale(value) ? value : null;
}

/**
 * request.locale and request.t on every request. One strategy for the whole site: `?lang=<locale>`
 * on the URL wins for that request (links, canonical and hreflang keep it; the URL without it is the
 * x-default), then the language switcher's cookie, then Accept-Language, then English.
 * Needs @fastify/cookie (registered before).
 */
export default fp(
  async (app) => {
    const translators = Object.fromEntries(LOCALES.map((l) => [l, createTranslator(l)])) as Record<Locale, Translate>;
    app.decorateRequest('locale', 'en');
    app.decorateRequest('t', translators.en);
    app.decorateRequest('langParam', null);
    app.addHook('onRequest', async (request) => {
      const param = langFromQuery(request.query);
      request.langParam = param;
      request.locale = param ?? resolveLocale(request.cookies[LOCALE_COOKIE], request.headers['accept-language']);
      request.t = translators[request.locale];
    });
  },
  { name: 'i18n', dependencies: ['@fastify/cookie'] },
);
