import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { translateErrors } from '../accounts/form.js';
import { actorOf } from '../admin/scope.js';
import type { ModuleContext } from '../types.js';
import { BulkBody, BulkQuery } from './schemas.js';
import type { TrackingInput } from './service.js';

/**
 * Bulk "mark fulfilled": the list's checkboxes lead (GET) to one form with a tracking number per
 * selected order; its POST checks every row first and then fulfils each order with its own
 * conditional update (an order already fulfilled meanwhile is skipped, never fulfilled twice).
 */
export const bulkRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = services.adminOrders;

  async function bulkPage(request: FastifyRequest, reply: FastifyReply, numbers: number[], values: Record<string, string> = {}, errors: readonly FieldError[] = []) {
    const rows = await admin.forBulk(numbers);
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/orders/bulk-fulfil', { title: request.t('adminOrders.bulk.title'), rows, values, errors: translateErrors(request, errors) });
  }

  app.get('/admin/orders/fulfil', { schema: { querystring: BulkQuery } }, async (request, reply) => {
    // Nothing selected: the page says so (a plain 200, with the way back to the list).
    return bulkPage(request, reply, (request.query.n ?? []).map(Number));
  });

  app.post('/admin/orders/fulfil', { schema: { body: BulkBody } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const numbers = [...new Set(request.body.n.map(Number))];
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) if (/^(carrier|code|url)_\d+$/.test(key) && typeof value === 'string') values[key] = value;
    const inputs = new Map<number, TrackingInput>(
      numbers.map((n) => [n, { carrier: values[`carrier_${n}`] ?? '', code: values[`code_${n}`] ?? '', url: values[`url_${n}`] ?? '' }]),
    );
    try {
      const { done, skipped } = await admin.bulkFulfil(actorOf(request), inputs);
      reply.flash('success', 'adminOrders.bulk.done', { count: done.length });
      if (skipped.length > 0) reply.flash('info', 'adminOrders.bulk.skipped', { numbers: skipped.map((n) => `#${n}`).join(', ') });
    } catch (error) {
      if (error instanceof ValidationError) return bulkPage(request, reply, numbers, values, error.fields);
      throw error;
    }
    return reply.code(303).redirect('/admin/orders?status=fulfilled');
  });
};
