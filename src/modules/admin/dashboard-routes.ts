import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { stringFields, translateErrors } from '../accounts/form.js';
import { formatDateTime } from '../../lib/format.js';
import { pick } from '../catalog/translated.js';
import type { Translated } from '../catalog/types.js';
import type { ModuleContext } from '../types.js';
import { resolveRange } from './dashboard-service.js';
import { RangeQuery } from './schemas.js';

/** GET /admin: the dashboard over a range chosen with a GET form (default: the last 30 days). */
export const dashboardRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { dashboard } = services.admin;

  app.get('/admin', { schema: { querystring: RangeQuery }, attachValidation: true }, async (request, reply) => {
    const values = stringFields(request.query, ['from', 'to']);
    const today = await dashboard.today();
    const { range, errors } = request.validationError
      ? resolveRange({ from: 'invalid', to: 'invalid' }, today)
      : resolveRange({ from: values.from, to: values.to }, today);
    const data = await dashboard.build(range);
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/dashboard', {
      title: request.t('admin.dashboard.title'),
      values: errors.length > 0 ? values : range,
      errors: translateErrors(request, errors),
      data,
      pick: (text: Translated) => pick(text, request.locale),
      formatDateTime: (value: Date) => formatDateTime(value, request.locale, data.timeZone),
    });
  });
};
