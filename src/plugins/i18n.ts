import fp from 'fastify-plugin';
import { LOCALES, LOCALE_COOKIE, resolveLocale, type Locale } from '../i18n/locales.js';
import { createTranslator, type Translate } from '../i18n/translate.js';

/**
 * request.locale and request.t on every request: the language switcher's cookie, else
 * Accept-Language, else English. Needs @fastify/cookie (registered before).
 */
export default fp(
  async (app) => {
    const translators = Object.fromEntries(LOCALES.map((l) => [l, createTranslator(l)])) as Record<Locale, Translate>;
    app.decorateRequest('locale', 'en');
    app.decorateRequest('t', translators.en);
    app.addHook('onRequest', async (request) => {
      request.locale = resolveLocale(request.cookies[LOCALE_COOKIE], request.headers['accept-language']);
      request.t = translators[request.locale];
    });
  },
  { name: 'i18n', dependencies: ['@fastify/cookie'] },
);
