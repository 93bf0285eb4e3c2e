import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { requireUser } from '../../plugins/auth.js';
import type { AppModule, ModuleContext } from '../types.js';
import { orderIndexes } from './repository.js';
import { CancelBody, DownloadParams, DownloadQuery, OrderParams, SigQuery } from './schemas.js';
import { STATUS_LABEL_KEYS, type PlacedOrder } from './types.js';

export interface OrdersModuleOptions {
  /** How often reconciliation and auto-cancel run (ms); 0 disables the timer (they still run at start). */
  jobIntervalMs: number;
}

const PAID = new Set(['paid', 'fulfilled', 'completed']);

export function createOrdersRoutes(options: OrdersModuleOptions): FastifyPluginAsync<ModuleContext> {
  return async (base, { config, services }) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    const { orders } = services;
    orders.configureSite({ baseUrl: config.baseUrl, secret: config.sessionSecret });
    services.checkout.setLog(app.log);
    const links = orders.links();
    if (!links) throw new Error('order links not configured');

    // Start-up reconciliation, then the periodic jobs (stopped when the app closes).
    let timer: NodeJS.Timeout | undefined;
    const runJobs = async (): Promise<void> => {
      try {
        await services.checkout.reconcile();
        await orders.autoCancelUnpaid();
      } catch (error) {
        app.log.error({ err: error }, 'order maintenance failed');
      }
    };
    app.addHook('onReady', async () => {
      await runJobs();
      if (options.jobIntervalMs > 0) {
        timer = setInterval(() => void runJobs(), options.jobIntervalMs);
        timer.unref();
      }
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });

    /** The viewer may see the order: the signed link, the placing session, or the owner. */
    async function viewable(request: FastifyRequest, id: string, sig: string | undefined): Promise<PlacedOrder> {
      const order = await orders.get(new ObjectId(id));
      if (!order) throw new NotFoundError('No such order');
      const bySig = sig !== undefined && links?.verifyOrder(id, sig) === true;
      const bySession = (request.session.placedOrders ?? []).includes(id);
      const byOwner = order.userId !== null && request.user?.id === order.userId.toHexString();
      if (!bySig && !bySession && !byOwner) throw new NotFoundError('Order not visible to this visitor');
      return order;
    }

    /** The order page's model: status, cancel window, fresh download links when paid. */
    async function showModel(request: FastifyRequest, order: PlacedOrder, sig: string) {
      const id = order._id.toHexString();
      const cancelUntil = await orders.customerCancelUntil(order);
      const settings = await services.checkout.settings();
      const expires = new Date(Date.now() + settings.downloadHours * 3600_000);
      const downloads = PAID.has(order.status)
        ? order.lines.flatMap((l, i) => (l.digital ? [{ index: i, title: l.title, left: l.digital.maxDownloads - l.digital.downloads, href: links?.downloadPath(id, i, expires) ?? '' }] : []))
        : [];
      return { title: request.t('orders.show.title', { number: String(order.number) }), order, cancelUntil, sig, downloads, statusLabel: request.t(STATUS_LABEL_KEYS[order.status]) };
    }

    app.get('/orders/:id', { schema: { params: OrderParams, querystring: SigQuery } }, async (request, reply) => {
      const order = await viewable(request, request.params.id, request.query.sig);
      return reply.render('orders/show', await showModel(request, order, request.query.sig ?? ''));
    });

    // The signed-in customer's order, inside the account pages (the list is the accounts module's).
    app.get('/account/orders/:id', { schema: { params: OrderParams }, preHandler: requireUser }, async (request, reply) => {
      const order = await orders.get(new ObjectId(request.params.id));
      if (!order || order.userId === null || request.user?.id !== order.userId.toHexString()) throw new NotFoundError('No such order');
      const model = await showModel(request, order, '');
      return reply.render('orders/show', { ...model, title: request.t('accounts.order.title', { number: String(order.number) }), inAccount: true, currentPath: '/account/orders' });
    });

    app.post('/orders/:id/cancel', { schema: { params: OrderParams, body: CancelBody } }, async (request, reply) => {
      const { id } = request.params;
      const sig = request.body.sig === '' ? undefined : request.body.sig;
      await viewable(request, id, sig);
      const cancelled = await orders.cancel(new ObjectId(id), 'customer');
      reply.flash(cancelled ? 'success' : 'error', cancelled ? 'orders.cancel.done' : 'orders.cancel.refused');
      return reply.code(303).redirect(`/orders/${id}${sig ? `?sig=${encodeURIComponent(sig)}` : ''}`);
    });

    app.get('/downloads/:id/:line', { schema: { params: DownloadParams, querystring: DownloadQuery } }, async (request, reply) => {
      const { id } = request.params;
      const index = Number(request.params.line);
      const check = links.verifyDownload(id, index, Number(request.query.exp), request.query.sig, new Date());
      if (check === 'invalid') throw new NotFoundError('Bad download signature');
      if (check === 'expired') throw new ForbiddenError('Download link expired', { messageKey: 'orders.download.expired' });
      const order = await orders.get(new ObjectId(id));
      const digital = order?.lines[index]?.digital;
      if (!order || !digital) throw new NotFoundError('No such download');
      if (!PAID.has(order.status)) throw new ForbiddenError('Order not paid', { messageKey: 'orders.download.unpaid' });
      if (!(await orders.countDownload(order._id, index, digital.maxDownloads))) {
        throw new ForbiddenError('Download limit reached', { messageKey: 'orders.download.limit' });
      }
      const file = await services.media.openDownload(digital.fileId);
      if (!file) throw new NotFoundError('Download file missing');
      const name = digital.fileName.replace(/[^\w.\- ]/g, '_');
      reply.header('content-type', file.contentType);
      reply.header('content-length', String(file.length));
      reply.header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(digital.fileName)}`);
      reply.header('cache-control', 'private, no-store');
      return reply.send(file.stream);
    });
  };
}

export function createOrdersModule(options: OrdersModuleOptions = { jobIntervalMs: 5 * 60_000 }): AppModule {
  return { name: 'orders', routes: createOrdersRoutes(options), indexes: orderIndexes };
}

export const ordersModule: AppModule = createOrdersModule();
