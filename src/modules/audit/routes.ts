import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FieldError } from '../../lib/errors.js';
import { formatDateTime } from '../../lib/format.js';
import { schemaFieldErrors, stringFields, translateErrors } from '../accounts/form.js';
import { addDays, isDay, startOfDay } from '../admin/timezone.js';
import type { ModuleContext } from '../types.js';

export const AUDIT_PER_PAGE = 50;

const s = (maxLength: number) => Type.String({ maxLength });
export const AuditQuerySchema = Type.Object({
  actor: Type.Optional(s(320)),
  entityType: Type.Optional(s(50)),
  entityId: Type.Optional(s(100)),
  action: Type.Optional(s(100)),
  from: Type.Optional(s(10)),
  to: Type.Optional(s(10)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const FIELDS = ['actor', 'entityType', 'entityId', 'action', 'from', 'to'] as const;

/** GET /admin/audit (admins only): the append-only log, filtered by actor, entity, action and dates. */
export const auditRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/admin/audit', { schema: { querystring: AuditQuerySchema }, attachValidation: true, config: { adminOnly: true } }, async (request, reply) => {
    const values = stringFields(request.query, FIELDS);
    const errors: FieldError[] = request.validationError ? schemaFieldErrors(request) : [];
    const { timeZone } = await services.admin.settings.get();
    for (const field of ['from', 'to'] as const) {
      if (values[field] !== '' && !isDay(values[field] ?? '')) errors.push({ field, messageKey: 'admin.dashboard.invalidDate' });
    }
    const valid = errors.length === 0;
    const from = valid && values.from ? startOfDay(values.from, timeZone) : undefined;
    const to = valid && values.to ? startOfDay(addDays(values.to, 1), timeZone) : undefined;
    const page = request.validationError ? 1 : (request.query.page ?? 1);
    const result = await services.audit.list({
      ...(valid ? {
        actor: values.actor?.trim().toLowerCase() || undefined,
        entityType: values.entityType || undefined,
        entityId: values.entityId || undefined,
        action: values.action || undefined,
      } : {}),
      from,
      to,
      page,
      perPage: AUDIT_PER_PAGE,
    });
    if (!valid) reply.code(422);
    const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
    return reply.render('admin/audit', {
      title: request.t('admin.audit.title'),
      values,
      errors: translateErrors(request, errors),
      result,
      actions: await services.audit.actions(),
      timeZone,
      formatDateTime: (value: Date) => formatDateTime(value, request.locale, timeZone),
      pageHref: (n: number) => `/admin/audit?${new URLSearchParams([...params, ['page', String(n)]]).toString()}`,
      json: (value: unknown) => (value === null ? '' : JSON.stringify(value, null, 1)),
    });
  });
};
