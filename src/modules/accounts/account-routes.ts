import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, LOCALE_COOKIE } from '../../i18n/locales.js';
import { ValidationError } from '../../lib/errors.js';
import { requireUser } from '../../plugins/auth.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ModuleContext } from '../types.js';
import { signOut } from './auth-routes.js';
import { renderForm, schemaFieldErrors, stringFields } from './form.js';
import { DeleteBody, EmailBody, PasswordBody, ProfileBody } from './schemas.js';

/** The signed-in user's pages under /account (every route here requires a user). */
export const accountRoutes: FastifyPluginAsync<ModuleContext> = async (base, { config, services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = services;
  app.addHook('preHandler', requireUser);
  const userId = (request: FastifyRequest): string => request.user?.id ?? '';

  /** Re-renders the form on a ValidationError, rethrows anything else. */
  const orForm = (request: FastifyRequest, reply: FastifyReply, render: (errors: ValidationError['fields']) => Promise<FastifyReply>) =>
    (error: unknown): Promise<FastifyReply> => {
      if (error instanceof ValidationError) return render(error.fields);
      throw error;
    };

  app.get('/account', async (request, reply) => reply.render('accounts/overview', { title: request.t('accounts.overview.title') }));

  const profilePage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: ValidationError['fields'] = []) =>
    renderForm(request, reply, 'accounts/profile', { title: request.t('accounts.profile.title'), values, errors });

  app.get('/account/profile', async (request, reply) => {
    const user = await accounts.getProfile(userId(request));
    return profilePage(request, reply, { name: user.name, locale: user.locale ?? request.locale, email: user.email });
  });

  app.post('/account/profile', { schema: { body: ProfileBody }, attachValidation: true }, async (request, reply) => {
    const values = { ...stringFields(request.body, ['name', 'locale']), email: request.user?.email ?? '' };
    if (request.validationError) return profilePage(request, reply, values, schemaFieldErrors(request));
    const locale = request.body.locale;
    if (!isLocale(locale)) return profilePage(request, reply, values, [{ field: 'locale', messageKey: 'accounts.field.invalid' }]);
    try {
      await accounts.updateProfile(userId(request), { name: request.body.name, locale });
    } catch (error) {
      return orForm(request, reply, (e) => profilePage(request, reply, values, e))(error);
    }
    reply.setCookie(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
    reply.flash('success', 'accounts.profile.saved');
    return reply.code(303).redirect('/account/profile');
  });

  app.post('/account/email', { schema: { body: EmailBody }, attachValidation: true }, async (request, reply) => {
    const user = await accounts.getProfile(userId(request));
    const values = { name: user.name, locale: user.locale ?? request.locale, ...stringFields(request.body, ['email']) };
    if (request.validationError) return profilePage(request, reply, values, schemaFieldErrors(request));
    try {
      await accounts.changeEmail(userId(request), { email: request.body.email, password: request.body.emailPassword });
    } catch (error) {
      return orForm(request, reply, (e) => profilePage(request, reply, values, e))(error);
    }
    reply.flash('success', 'accounts.email.changed');
    return reply.code(303).redirect('/account/profile');
  });

  const passwordPage = async (request: FastifyRequest, reply: FastifyReply, errors: ValidationError['fields'] = []) =>
    renderForm(request, reply, 'accounts/password', { title: request.t('accounts.password.title'), values: {}, errors });

  app.get('/account/password', async (request, reply) => passwordPage(request, reply));

  app.post('/account/password', { schema: { body: PasswordBody }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) return passwordPage(request, reply, schemaFieldErrors(request));
    try {
      const input = { current: request.body.currentPassword, password: request.body.password };
      await accounts.changePassword(userId(request), input, request.session.sessionId);
    } catch (error) {
      return orForm(request, reply, (e) => passwordPage(request, reply, e))(error);
    }
    reply.flash('success', 'accounts.password.changed');
    return reply.code(303).redirect('/account');
  });

  app.get('/account/orders', async (request, reply) => {
    const orders = await accounts.orders(userId(request));
    return reply.render('accounts/orders', { title: request.t('accounts.orders.title'), orders });
  });

  // /account/orders/:id is the orders module's (src/modules/orders/account-order-route.ts): the full order page.

  const deletePage = async (request: FastifyRequest, reply: FastifyReply, errors: ValidationError['fields'] = []) =>
    renderForm(request, reply, 'accounts/delete', { title: request.t('accounts.delete.title'), values: {}, errors });

  app.get('/account/delete', async (request, reply) => deletePage(request, reply));

  app.post('/account/delete', { schema: { body: DeleteBody }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) return deletePage(request, reply, schemaFieldErrors(request));
    try {
      await accounts.deleteAccount(userId(request), request.body.deletePassword);
    } catch (error) {
      return orForm(request, reply, (e) => deletePage(request, reply, e))(error);
    }
    await signOut(request);
    reply.flash('info', 'accounts.delete.done');
    return reply.code(303).redirect('/');
  });
};
