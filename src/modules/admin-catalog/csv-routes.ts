import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { NotFoundError } from '../../lib/errors.js';
import { formatMegabytes } from '../../lib/format.js';
import { actorOf } from '../admin/scope.js';
import { requireRecentConfirmation } from '../staff-security/session.js';
import type { ModuleContext } from '../types.js';
import { csvHeader, MAX_IMPORT_BYTES, parseProductCsv, productCsv } from './csv.js';
import { csrfAfterParse, multipartScope, uploadOf } from './multipart.js';
import { CsrfOnlyBody, IdParams } from './schemas.js';

/** The upload form's model: its error (null on first show) and the file limit the upload enforces. */
function uploadModel(request: FastifyRequest, error: string | null) {
  return { title: request.t('adminCatalog.import.title'), error, maxSize: formatMegabytes(MAX_IMPORT_BYTES, request.locale) };
}

/**
 * CSV export (sudo mode: a password confirmed in the last 15 minutes) and import of products:
 * upload → dry run page (row by row) → apply → status page refreshing itself until done.
 */
const importUpload: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  base.post('/admin/products/import', { config: { csrf: false }, preValidation: csrfAfterParse }, async (request, reply) => {
    const file = uploadOf(request).files.file;
    const page = (errorKey: string, params?: Record<string, string | number>) =>
      reply.code(422).render('admin/import/upload', uploadModel(request, request.t(errorKey, params)));
    if (!file) return page('adminCatalog.upload.missing');
    const parsed = parseProductCsv(file.data);
    if ('errorKey' in parsed) return page(parsed.errorKey, parsed.params);
    const id = await services.adminCatalog.imports.plan(actorOf(request), file.filename, parsed.rows);
    return reply.code(303).redirect(`/admin/products/import/${id.toHexString()}`);
  });
};

export const csvRoutes: FastifyPluginAsync<ModuleContext> = async (base, context) => {
  const { services } = context;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/admin/products/export.csv', { preHandler: requireRecentConfirmation }, async (request, reply) => {
    const slugs = new Map((await services.catalog.allCategories()).map((c) => [c._id.toHexString(), c.slug]));
    const cursor = services.adminCatalog.products.exportCursor();
    await services.audit.record({ actor: actorOf(request), ip: request.ip, action: 'product.export', entity: { type: 'product', id: '*' }, before: null, after: null });
    async function* lines() {
      yield csvHeader();
      for await (const doc of cursor) yield productCsv(doc, slugs);
    }
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="products.csv"');
    reply.header('cache-control', 'private, no-store');
    return reply.send(Readable.from(lines()));
  });

  app.get('/admin/products/import', async (request, reply) => reply.render('admin/import/upload', uploadModel(request, null)));
  // A file over the limit: the upload form again, with the message at the file field (413).
  const tooLarge = async (request: FastifyRequest, reply: FastifyReply, message: string) =>
    reply.render('admin/import/upload', uploadModel(request, message));
  await app.register(multipartScope({ fileSize: MAX_IMPORT_BYTES, tooLarge }, importUpload), context);

  app.get('/admin/products/import/:id', { schema: { params: IdParams } }, async (request, reply) => {
    const job = await services.adminCatalog.imports.get(new ObjectId(request.params.id));
    if (!job) throw new NotFoundError('No such import');
    const running = job.status === 'running';
    return reply.render('admin/import/job', { title: request.t('adminCatalog.import.title'), job, running, percent: job.total > 0 ? Math.floor((job.processed / job.total) * 100) : 100 });
  });

  app.post('/admin/products/import/:id/apply', { schema: { params: IdParams, body: CsrfOnlyBody } }, async (request, reply) => {
    const { started } = await services.adminCatalog.imports.apply(actorOf(request), new ObjectId(request.params.id));
    if (!started) reply.flash('info', 'adminCatalog.import.alreadyApplied');
    return reply.code(303).redirect(`/admin/products/import/${request.params.id}`);
  });
};
