import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { LOCALE_COOKIE, type Locale } from '../../i18n/locales.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { safeLocalPath } from '../../lib/redirect.js';
import { regenerateSession } from '../../plugins/session.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ModuleContext } from '../types.js';
import type { StaffSecurityService } from '../staff-security/service.js';
import '../staff-security/session.js';
import { renderForm, schemaFieldErrors, stringFields } from './form.js';
import { LoginBody, NextQuery, RegisterBody, RegisterQuery } from './schemas.js';

const DAY_MS = 24 * 3600_000;
/** "Remember me": the session cookie lives this long (rolling); otherwise it ends with the browser. */
export const REMEMBER_ME_MS = 30 * DAY_MS;
/** Where a sign-in that needs its second factor continues (src/modules/staff-security/login-routes.ts). */
export const TWO_FACTOR_PATH = '/login/two-factor';
/**
 * Session fields that must not survive sign-in; everything else (a guest cart) is kept. The
 * staff-security ones belong to the previous identity: a new sign-in starts them afresh.
 */
const AUTH_FIELDS = new Set(['cookie', 'userId', 'resetToken', '_csrf', 'flash', 'sudo', 'twoFactorPending', 'twoFactorVerifiedFor', 'gateCheckedFor']);
const keptFields = (request: FastifyRequest): string[] => Object.keys(request.session).filter((k) => !AUTH_FIELDS.has(k));

/** New session id for a new identity (session fixation), keeping the visitor's other state. */
export async function signIn(request: FastifyRequest, userId: string, rememberMs?: number): Promise<void> {
  await regenerateSession(request, keptFields(request));
  request.session.userId = userId;
  // The password (or the second factor after it) was just proved: sudo mode starts now.
  request.session.sudo = { userId, at: Date.now() };
  // Without "remember me" the cookie has no expiry: it ends when the browser closes.
  request.session.options({ maxAge: rememberMs });
}

/**
 * Password accepted, second factor due: a new session id that carries no user id, only the
 * pending state the code page reads (the staff-security module finishes with signIn).
 */
async function awaitSecondFactor(request: FastifyRequest, userId: string, remember: boolean, next: string): Promise<void> {
  await regenerateSession(request, keptFields(request));
  request.session.twoFactorPending = { userId, at: Date.now(), attempts: 0, remember, next };
}

/** Sign-out: the old session is destroyed in the store and nothing of it is kept. */
export async function signOut(request: FastifyRequest): Promise<void> {
  await regenerateSession(request, []);
}

/** GET/POST /register, /login; POST /logout. */
export const authRoutes: FastifyPluginAsync<ModuleContext> = async (base, { config, services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = services;
  const staffSecurity: Pick<StaffSecurityService, 'loginState'> = services.staffSecurity;
  const setLocale = (reply: { setCookie: (n: string, v: string, o: object) => unknown }, locale: Locale | null): void => {
    if (locale === null) return;
    reply.setCookie(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
  };

  app.get('/register', { schema: { querystring: RegisterQuery } }, async (request, reply) => {
    if (request.user) return reply.code(303).redirect('/account');
    const email = request.query.email?.trim() ?? '';
    return renderForm(request, reply, 'accounts/register', { title: request.t('accounts.register.title'), values: email === '' ? {} : { email } });
  });

  app.post('/register', { schema: { body: RegisterBody }, attachValidation: true }, async (request, reply) => {
    const values = stringFields(request.body, ['name', 'email']);
    const title = request.t('accounts.register.title');
    if (request.validationError) return renderForm(request, reply, 'accounts/register', { title, values, errors: schemaFieldErrors(request) });
    const { name, email, password } = request.body;
    try {
      const user = await accounts.register({ name, email, password, locale: request.locale });
      await signIn(request, user.id);
      reply.flash('success', 'accounts.register.done', { name: user.name });
      return reply.code(303).redirect('/account');
    } catch (error) {
      if (error instanceof ValidationError) return renderForm(request, reply, 'accounts/register', { title, values, errors: error.fields });
      throw error;
    }
  });

  app.get('/login', { schema: { querystring: NextQuery }, attachValidation: true }, async (request, reply) => {
    const next = safeLocalPath(stringFields(request.query, ['next']).next, '/account');
    if (request.user) return reply.code(303).redirect(next);
    return renderForm(request, reply, 'accounts/login', { title: request.t('accounts.login.title'), values: { email: '', next } });
  });

  app.post('/login', { schema: { body: LoginBody }, attachValidation: true }, async (request, reply) => {
    const values = stringFields(request.body, ['email', 'next', 'remember']);
    values.next = safeLocalPath(values.next, '/account');
    const title = request.t('accounts.login.title');
    const fail = (errors: FieldError[], status: number) => renderForm(request, reply, 'accounts/login', { title, values, errors }, status);
    if (request.validationError) return fail(schemaFieldErrors(request), 422);

    const result = await accounts.login({ email: request.body.email, password: request.body.password, ip: request.ip, baseUrl: config.baseUrl });
    if (result.outcome === 'throttled') {
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      const error: FieldError = result.locked
        ? { field: '_form', messageKey: 'accounts.login.locked', params: { minutes: Math.ceil(seconds / 60) } }
        : { field: '_form', messageKey: 'accounts.login.slowDown', params: { seconds } };
      return fail([error], 429);
    }
    // One message, one status for an unknown email and a wrong password.
    if (result.outcome === 'invalid') return fail([{ field: '_form', messageKey: 'accounts.login.invalid' }], 401);
    if (result.outcome === 'disabled') return fail([{ field: '_form', messageKey: 'staff.login.disabled' }], 403);

    const remember = values.remember === 'on';
    if ((await staffSecurity.loginState(result.user.id)).twoFactor) {
      await awaitSecondFactor(request, result.user.id, remember, values.next);
      return reply.code(303).redirect(TWO_FACTOR_PATH);
    }
    await signIn(request, result.user.id, remember ? REMEMBER_ME_MS : undefined);
    setLocale(reply, result.user.locale);
    reply.flash('success', 'accounts.login.done');
    return reply.code(303).redirect(values.next);
  });

  app.post('/logout', async (request, reply) => {
    await signOut(request);
    reply.flash('info', 'accounts.logout.done');
    return reply.code(303).redirect('/');
  });
};
