import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../lib/errors.js';
import { renderForm, schemaFieldErrors, stringFields } from '../accounts/form.js';
import type { ModuleContext } from '../types.js';
import { actorOf } from './scope.js';
import { SettingsBody } from './schemas.js';

/** GET/POST /admin/settings (admins only): time zone, 2FA enforcement, low-stock threshold. */
export const settingsRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { settings } = services.admin;
  const page = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: ValidationError['fields'] = []) =>
    renderForm(request, reply, 'admin/settings', { title: request.t('admin.settings.title'), values, errors, timeZones: Intl.supportedValuesOf('timeZone') });

  app.get('/admin/settings', { config: { adminOnly: true } }, async (request, reply) => {
    const current = await settings.get();
    return page(request, reply, {
      timeZone: current.timeZone,
      lowStockThreshold: String(current.lowStockThreshold),
      enforceTwoFactor: current.enforceTwoFactor ? 'on' : '',
    });
  });

  app.post('/admin/settings', { schema: { body: SettingsBody }, attachValidation: true, config: { adminOnly: true } }, async (request, reply) => {
    const values = stringFields(request.body, ['timeZone', 'lowStockThreshold', 'enforceTwoFactor']);
    if (request.validationError) return page(request, reply, values, schemaFieldErrors(request));
    try {
      await settings.save(actorOf(request), {
        timeZone: request.body.timeZone,
        lowStockThreshold: request.body.lowStockThreshold,
        enforceTwoFactor: request.body.enforceTwoFactor === 'on',
      });
    } catch (error) {
      if (error instanceof ValidationError) return page(request, reply, values, error.fields);
      throw error;
    }
    reply.flash('success', 'admin.settings.saved');
    return reply.code(303).redirect('/admin/settings');
  });
};
