import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ValidationError } from '../../lib/errors.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ModuleContext } from '../types.js';
import { renderForm, schemaFieldErrors, stringFields } from './form.js';
import { ForgotBody, ResetBody, TokenParams } from './schemas.js';

/**
 * Forgotten password: GET/POST /forgot-password (always the same answer), the emailed link
 * GET /reset-password/:token, and the form GET/POST /reset-password.
 */
export const resetRoutes: FastifyPluginAsync<ModuleContext> = async (base, { config, services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = services;

  app.get('/forgot-password', async (request, reply) =>
    renderForm(request, reply, 'accounts/forgot', { title: request.t('accounts.forgot.title'), values: { email: '' } }),
  );

  app.post('/forgot-password', { schema: { body: ForgotBody }, attachValidation: true }, async (request, reply) => {
    const values = stringFields(request.body, ['email']);
    if (request.validationError) {
      return renderForm(request, reply, 'accounts/forgot', { title: request.t('accounts.forgot.title'), values, errors: schemaFieldErrors(request) });
    }
    await accounts.requestPasswordReset(request.body.email, config.baseUrl);
    return reply.code(303).redirect('/forgot-password/sent');
  });

  app.get('/forgot-password/sent', async (request, reply) =>
    reply.render('accounts/forgot-sent', { title: request.t('accounts.forgot.title') }),
  );

  // The token leaves the URL at once (into the session), so it stays out of later logs, the
  // history and Referer headers; this route's own request lines are not logged at info level.
  app.get('/reset-password/:token', { schema: { params: TokenParams }, attachValidation: true, logLevel: 'warn' }, async (request, reply) => {
    const token = stringFields(request.params, ['token']).token ?? '';
    request.session.resetToken = token;
    return reply.code(303).redirect('/reset-password');
  });

  const invalidLink = async (reply: FastifyReply, status: number) => {
    reply.code(status);
    return reply.render('accounts/reset-invalid', { title: reply.request.t('accounts.reset.invalid.title') });
  };

  app.get('/reset-password', async (request, reply) => {
    const token = request.session.resetToken ?? '';
    if (!(await accounts.isResetTokenValid(token))) return invalidLink(reply, 400);
    return renderForm(request, reply, 'accounts/reset', { title: request.t('accounts.reset.title'), values: {} });
  });

  app.post('/reset-password', { schema: { body: ResetBody }, attachValidation: true }, async (request, reply) => {
    const title = request.t('accounts.reset.title');
    if (request.validationError) return renderForm(request, reply, 'accounts/reset', { title, values: {}, errors: schemaFieldErrors(request) });
    const token = request.session.resetToken ?? '';
    try {
      if ((await accounts.resetPassword(token, request.body.password)) === 'invalid') return invalidLink(reply, 400);
    } catch (error) {
      if (error instanceof ValidationError) return renderForm(request, reply, 'accounts/reset', { title, values: {}, errors: error.fields });
      throw error;
    }
    delete request.session.resetToken;
    reply.flash('success', 'accounts.reset.done');
    return reply.code(303).redirect('/login');
  });
};
