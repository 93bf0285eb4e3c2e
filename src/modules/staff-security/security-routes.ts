import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { safeLocalPath } from '../../lib/redirect.js';
import { schemaFieldErrors, stringFields, translateErrors } from '../accounts/form.js';
import { actorOf } from '../admin/scope.js';
import type { ModuleContext } from '../types.js';
import { CodeBody, ConfirmBody, EmptyBody, NextQuery, PasswordBody } from './schemas.js';
import { CONFIRM_PATH, markConfirmed } from './session.js';
import { groupSecret } from './totp.js';

/**
 * /admin/security: the signed-in staff member's own two-factor setup (secret and otpauth URI as
 * text, confirmed with a first code; recovery codes shown once). /admin/confirm: re-enter the
 * password ("sudo mode"). Both stay reachable while 2FA is enforced but not yet set up.
 */
export const securityRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const security = services.staffSecurity;
  const setup = { twoFactorSetup: true };
  const me = (request: FastifyRequest) => request.user ?? { id: '', email: '' };

  async function page(request: FastifyRequest, reply: FastifyReply, errors: readonly FieldError[] = []) {
    const status = await security.status(me(request).id, me(request).email);
    const { enforceTwoFactor } = await services.admin.settings.get();
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/security', {
      title: request.t('staff.security.title'),
      status,
      secretGroups: status.pending ? groupSecret(status.pending.secret) : '',
      enforced: enforceTwoFactor,
      errors: translateErrors(request, errors),
    });
  }
  const orPage = (request: FastifyRequest, reply: FastifyReply) => (error: unknown) => {
    if (error instanceof ValidationError) return page(request, reply, error.fields);
    throw error;
  };

  app.get('/admin/security', { config: setup }, async (request, reply) => page(request, reply));

  app.post('/admin/security/two-factor/start', { schema: { body: EmptyBody }, config: setup }, async (request, reply) => {
    await security.startEnrolment(me(request).id);
    return reply.code(303).redirect('/admin/security#setup');
  });

  app.post('/admin/security/two-factor/confirm', { schema: { body: CodeBody }, attachValidation: true, config: setup }, async (request, reply) => {
    if (request.validationError) return page(request, reply, schemaFieldErrors(request));
    try {
      const codes = await security.confirmEnrolment(actorOf(request), request.body.code, request.session.sessionId);
      request.session.twoFactorVerifiedFor = me(request).id;
      request.session.recoveryCodesToShow = codes;
    } catch (error) {
      return orPage(request, reply)(error);
    }
    reply.flash('success', 'staff.twoFactor.enabled');
    return reply.code(303).redirect('/admin/security/recovery-codes');
  });

  app.post('/admin/security/two-factor/disable', { schema: { body: PasswordBody }, attachValidation: true, config: setup }, async (request, reply) => {
    if (request.validationError) return page(request, reply, schemaFieldErrors(request));
    const { enforceTwoFactor } = await services.admin.settings.get();
    if (enforceTwoFactor) return page(request, reply, [{ field: 'password', messageKey: 'staff.twoFactor.cannotDisable' }]);
    try {
      await security.disable(actorOf(request), request.body.password);
    } catch (error) {
      return orPage(request, reply)(error);
    }
    delete request.session.twoFactorVerifiedFor;
    reply.flash('success', 'staff.twoFactor.disabled');
    return reply.code(303).redirect('/admin/security');
  });

  app.post('/admin/security/recovery-codes', { schema: { body: PasswordBody }, attachValidation: true, config: setup }, async (request, reply) => {
    if (request.validationError) return page(request, reply, schemaFieldErrors(request));
    try {
      request.session.recoveryCodesToShow = await security.regenerateRecoveryCodes(actorOf(request), request.body.password);
    } catch (error) {
      return orPage(request, reply)(error);
    }
    return reply.code(303).redirect('/admin/security/recovery-codes');
  });

  // Shown once: reading them removes them from the session.
  app.get('/admin/security/recovery-codes', { config: setup }, async (request, reply) => {
    const codes = request.session.recoveryCodesToShow;
    if (!codes) return reply.code(303).redirect('/admin/security');
    delete request.session.recoveryCodesToShow;
    reply.header('cache-control', 'no-store');
    return reply.render('admin/recovery-codes', { title: request.t('staff.recovery.title'), codes });
  });

  const confirmPage = (request: FastifyRequest, reply: FastifyReply, next: string, errors: FieldError[] = []) => {
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/confirm', { title: request.t('staff.confirm.title'), next, errors: translateErrors(request, errors) });
  };

  app.get(CONFIRM_PATH, { schema: { querystring: NextQuery }, config: setup }, async (request, reply) =>
    confirmPage(request, reply, safeLocalPath(request.query.next, '/admin')),
  );

  app.post(CONFIRM_PATH, { schema: { body: ConfirmBody }, attachValidation: true, config: setup }, async (request, reply) => {
    const next = safeLocalPath(stringFields(request.body, ['next']).next, '/admin');
    if (request.validationError) return confirmPage(request, reply, next, schemaFieldErrors(request));
    if (!(await security.checkPassword(me(request).id, request.body.password))) {
      return confirmPage(request, reply, next, [{ field: 'password', messageKey: 'staff.password.wrong' }]);
    }
    markConfirmed(request);
    reply.flash('success', 'staff.confirm.done');
    return reply.code(303).redirect(next);
  });
};
