import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, LOCALE_COOKIE, LOCALES, resolveLocale, type Locale } from '../i18n/locales.js';
import { createTranslator, type Translate } from '../i18n/translate.js';

const translators = Object.fromEntries(LOCALES.map((l) => [l, createTranslator(l)])) as Record<Locale, Translate>;
const LOCALE_IN_COOKIE = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`);

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (`/%ff`, `/c/%c0%af`) or a path
 * parameter past maxParamLength is refused before any hook or plugin decorator is in play, and
 * Fastify would answer with its own JSON. This answers a small 400 page instead, in the visitor's
 * language (?lang=, the locale cookie, Accept-Language, parsed here since no hook ran). The reply
 * has none of the view plugin's decorators, hence plain HTML rather than the layout.
 */
export function frameworkErrorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const lang = new URLSearchParams(request.url.split('?')[1] ?? '').get('lang');
  const cookie = LOCALE_IN_COOKIE.exec(request.headers.cookie ?? '')?.[1];
  const locale = isLocale(lang) ? lang : resolveLocale(cookie, request.headers['accept-language']);
  const t = translators[locale];
  request.log.info({ code: error.code, status: 400 }, 'request rejected');
  const title = escapeHtml(t('errors.400.title'));
  const body =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title}</title></head><body><main><h1>${title}</h1><p>${escapeHtml(t('errors.400.message'))}</p>` +
    `<p><a href="/">${escapeHtml(t('errors.home'))}</a></p></main></body></html>`;
  reply.code(400).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}
