import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LOCALE_COOKIE } from '../../i18n/locales.js';
import { safeLocalPath } from '../../lib/redirect.js';
import type { AppModule, ModuleContext } from '../types.js';
import { ChangeLocaleBody } from './schemas.js';

const ONE_YEAR_S = 365 * 24 * 3600;

/** POST /locale — the footer language switcher: remember the choice in a cookie, go back (303). */
const routes: FastifyPluginAsync<ModuleContext> = async (base, { config }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/locale', { schema: { body: ChangeLocaleBody } }, async (request, reply) => {
    const { locale, returnTo } = request.body;
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
  });
};

export const localeModule: AppModule = { name: 'locale', routes };
