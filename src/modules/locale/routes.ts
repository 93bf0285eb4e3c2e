import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.js';
import { LOCALE_COOKIE, type Locale } from '../../i18n/locales.js';
import { safeLocalPath } from '../../lib/redirect.js';
import type { AppModule, ModuleContext } from '../types.js';
import { ChangeLocaleBody, ChangeLocaleQuery } from './schemas.js';

const ONE_YEAR_S = 365 * 24 * 3600;

function changeLocale(reply: FastifyReply, config: Config, locale: Locale, returnTo: string | undefined): FastifyReply {
  reply.setCookie(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: ONE_YEAR_S,
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
  });
  // Shown on the next page, which is rendered in the new language.
  reply.flash('success', 'language.changed');
  return reply.code(303).redirect(safeLocalPath(returnTo));
}

/**
 * The footer language switcher: remember the choice in a cookie, go back (303).
 * GET /locale?locale=..&returnTo=.. is the form's method: it only sets a preference and redirects to
 * a local path, so it needs no CSRF token — and a page whose only form is this one carries none
 * (no CSRF secret or cookie made for a visitor who only reads). POST stays for forms already served.
 */
const routes: FastifyPluginAsync<ModuleContext> = async (base, { config }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/locale', { schema: { querystring: ChangeLocaleQuery } }, async (request, reply) =>
    changeLocale(reply, config, request.query.locale, request.query.returnTo));
  app.post('/locale', { schema: { body: ChangeLocaleBody } }, async (request, reply) =>
    changeLocale(reply, config, request.body.locale, request.body.returnTo));
};

export const localeModule: AppModule = { name: 'locale', routes };
