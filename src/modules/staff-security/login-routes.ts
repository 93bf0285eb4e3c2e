import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FieldError } from '../../lib/errors.js';
import { REMEMBER_ME_MS, signIn } from '../accounts/auth-routes.js';
import { renderForm, schemaFieldErrors } from '../accounts/form.js';
import type { ModuleContext } from '../types.js';
import { PENDING_TTL_MS, TWO_FACTOR_LOGIN_PATH } from './gate.js';
import { CodeBody } from './schemas.js';
import './session.js';

export const MAX_CODE_ATTEMPTS = 5;

/** GET/POST /login/two-factor: the second step of a sign-in, with a TOTP code or a recovery code. */
export const twoFactorLoginRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { staffSecurity, audit } = services;

  const pending = (request: FastifyRequest) => {
    const p = request.session.twoFactorPending;
    if (!p || Date.now() - p.at > PENDING_TTL_MS) return null;
    return p;
  };
  const restart = (request: FastifyRequest, reply: FastifyReply, key: string) => {
    delete request.session.twoFactorPending;
    reply.flash('info', key);
    return reply.code(303).redirect('/login');
  };
  const page = (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status = 422) =>
    renderForm(request, reply, 'admin/two-factor-login', { title: request.t('staff.twoFactor.loginTitle'), values: {}, errors }, status);

  app.get(TWO_FACTOR_LOGIN_PATH, async (request, reply) => {
    if (!pending(request)) return restart(request, reply, 'staff.twoFactor.expired');
    return page(request, reply);
  });

  app.post(TWO_FACTOR_LOGIN_PATH, { schema: { body: CodeBody }, attachValidation: true }, async (request, reply) => {
    const p = pending(request);
    if (!p) return restart(request, reply, 'staff.twoFactor.expired');
    if (request.validationError) return page(request, reply, schemaFieldErrors(request));
    p.attempts += 1;
    request.session.twoFactorPending = p;
    const factor = await staffSecurity.verifySecondFactor(p.userId, request.body.code);
    if (!factor) {
      if (p.attempts >= MAX_CODE_ATTEMPTS) return restart(request, reply, 'staff.twoFactor.tooMany');
      return page(request, reply, [{ field: 'code', messageKey: 'staff.twoFactor.invalidCode' }], 401);
    }
    delete request.session.twoFactorPending;
    await signIn(request, p.userId, p.remember ? REMEMBER_ME_MS : undefined);
    request.session.twoFactorVerifiedFor = p.userId;
    request.session.gateCheckedFor = p.userId;
    request.session.sudo = { userId: p.userId, at: Date.now() };
    if (factor === 'recovery') {
      const user = await services.accounts.findUser(p.userId);
      await audit.record({
        actor: { id: p.userId, email: user?.email ?? '' }, action: 'security.recoveryCode.use', entity: { type: 'user', id: p.userId }, ip: request.ip,
      });
      reply.flash('info', 'staff.twoFactor.recoveryUsed');
    }
    reply.flash('success', 'staff.twoFactor.signedIn');
    return reply.code(303).redirect(p.next);
  });
};
