import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LANGUAGE_LABEL_KEYS } from '../../i18n/locales.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { schemaFieldErrors, stringFields, translateErrors } from '../accounts/form.js';
import { actorOf, adminScope } from '../admin/scope.js';
import { createOrderLinks } from '../orders/links.js';
import { staffOrderIndexes } from '../orders/staff-repository.js';
import { TRANSITIONS } from '../orders/types.js';
import { PAYMENT_LABEL_KEYS } from '../payments/types.js';
import { requireRecentConfirmation } from '../staff-security/session.js';
import type { AppModule, ModuleContext } from '../types.js';
import { bulkRoutes } from './bulk-routes.js';
import { ordersCsv } from './csv.js';
import { PAYMENT_STATUS_KEYS } from './labels.js';
import { manualRoutes } from './manual-routes.js';
import { printRoutes } from './print-routes.js';
import { FulfilBody, NoteBody, NumberParams, OrderListQuery, StatusBody } from './schemas.js';
import type { StatusAction } from './service.js';

/** Which action buttons the detail page offers for a status (the service checks again). */
const ACTIONS: Readonly<Record<string, readonly StatusAction[] | undefined>> = {
  pending_payment: ['paid', 'cancel'],
  paid: ['cancel', 'refund'],
  fulfilled: ['complete', 'refund'],
};

const DONE_KEYS: Readonly<Record<StatusAction, string>> = {
  paid: 'adminOrders.done.paid',
  complete: 'adminOrders.done.complete',
  cancel: 'adminOrders.done.cancel',
  refund: 'adminOrders.done.refund',
};

export function listParams(q: OrderListQuery) {
  return { q: q.q ?? '', status: q.status ?? '', sort: q.sort ?? 'placedAt', dir: q.dir === 'asc' ? 1 : -1, page: q.page ?? 1 } as const;
}

/** /admin/orders: list, detail with timeline, status changes, tracking, notes, CSV export. */
const ordersRoutes: FastifyPluginAsync<ModuleContext> = async (base, context) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { config, services } = context;
  const admin = services.adminOrders;
  // The "payment received" email goes through the orders service's mailer: configure it when the
  // shop's order pages are not registered (an app with the back office only).
  if (!services.orders.links()) services.orders.configureSite({ baseUrl: config.baseUrl, secret: config.sessionSecret });
  admin.configureSite({ baseUrl: config.baseUrl, links: services.orders.links() ?? createOrderLinks(config.sessionSecret) });
  admin.setLog(app.log);

  app.get('/admin/orders', { schema: { querystring: OrderListQuery } }, async (request, reply) => {
    const params = listParams(request.query);
    const list = await admin.list(params);
    return reply.render('admin/orders/list', {
      title: request.t('adminOrders.list.title'),
      query: { ...params, dir: params.dir === 1 ? 'asc' : 'desc' },
      list,
      statuses: Object.keys(TRANSITIONS),
    });
  });

  // Sudo mode: an export of every customer's address needs a recent password confirmation.
  app.get('/admin/orders/export.csv', { schema: { querystring: OrderListQuery }, preHandler: requireRecentConfirmation }, async (request, reply) => {
    const params = listParams(request.query);
    await admin.recordExport(actorOf(request), params);
    const day = new Date().toISOString().slice(0, 10);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="orders-${day}.csv"`);
    reply.header('cache-control', 'private, no-store');
    return reply.send(ordersCsv(admin.stream(params, params.sort, params.dir)));
  });

  /** The detail page; `status` 422 or 409 with the errors of the form that was sent. */
  async function detailPage(request: FastifyRequest, reply: FastifyReply, number: number, errors: readonly FieldError[] = [], values: Record<string, string> = {}, status = 422) {
    const { order, timeline, needsTracking } = await admin.detail(number);
    if (errors.length > 0) reply.code(status);
    return reply.render('admin/orders/show', {
      title: request.t('adminOrders.show.title', { number: String(order.number) }),
      order,
      timeline,
      needsTracking,
      actions: ACTIONS[order.status] ?? [],
      canFulfil: order.status === 'paid',
      languageKeys: LANGUAGE_LABEL_KEYS,
      paymentLabelKeys: PAYMENT_LABEL_KEYS,
      paymentStatusKeys: PAYMENT_STATUS_KEYS,
      values,
      errors: translateErrors(request, errors),
    });
  }

  app.get('/admin/orders/:number', { schema: { params: NumberParams } }, async (request, reply) => detailPage(request, reply, Number(request.params.number)));

  const stale: FieldError = { field: '_form', messageKey: 'adminOrders.error.state' };

  for (const action of ['paid', 'complete', 'cancel', 'refund'] as const) {
    app.post(`/admin/orders/:number/${action}`, { schema: { params: NumberParams, body: StatusBody } }, async (request, reply) => {
      const number = Number(request.params.number);
      const result = await admin.changeStatus(actorOf(request), number, action, { returned: request.body.returned === 'on' });
      if (!result.ok) {
        const error = result.reason === 'payment' ? { field: '_form', messageKey: 'adminOrders.error.payment' } : stale;
        return detailPage(request, reply, number, [error], {}, 409);
      }
      reply.flash('success', DONE_KEYS[action]);
      return reply.code(303).redirect(`/admin/orders/${number}`);
    });
  }

  app.post('/admin/orders/:number/fulfil', { schema: { params: NumberParams, body: FulfilBody }, attachValidation: true }, async (request, reply) => {
    const number = Number(request.params.number);
    const values = stringFields(request.body, ['carrier', 'code', 'url']);
    if (request.validationError) return detailPage(request, reply, number, schemaFieldErrors(request), values);
    try {
      const result = await admin.fulfil(actorOf(request), number, { carrier: values.carrier ?? '', code: values.code ?? '', url: values.url ?? '' });
      if (!result.ok) return detailPage(request, reply, number, [stale], values, 409);
    } catch (error) {
      if (error instanceof ValidationError) return detailPage(request, reply, number, error.fields, values);
      throw error;
    }
    reply.flash('success', 'adminOrders.done.fulfil');
    return reply.code(303).redirect(`/admin/orders/${number}`);
  });

  app.post('/admin/orders/:number/notes', { schema: { params: NumberParams, body: NoteBody }, attachValidation: true }, async (request, reply) => {
    const number = Number(request.params.number);
    const values = stringFields(request.body, ['note']);
    if (request.validationError) return detailPage(request, reply, number, schemaFieldErrors(request), values);
    try {
      await admin.addNote(actorOf(request), number, values.note ?? '');
    } catch (error) {
      if (error instanceof ValidationError) return detailPage(request, reply, number, error.fields, values);
      throw error;
    }
    reply.flash('success', 'adminOrders.done.note');
    return reply.code(303).redirect(`/admin/orders/${number}#timeline`);
  });
};

const routes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  // Static paths (/new, /fulfil) are matched before /:number by the router, whatever the order.
  for (const child of [ordersRoutes, bulkRoutes, manualRoutes, printRoutes]) await app.register(child, context);
};

export const adminOrdersModule: AppModule = { name: 'admin-orders', routes: adminScope(routes), indexes: staffOrderIndexes };
