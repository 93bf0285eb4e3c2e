import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../admin/scope.js';
import type { Translated } from '../catalog/types.js';
import { MAX_IMAGE_BYTES } from '../media/image-processing.js';
import type { ModuleContext } from '../types.js';
import { csrfAfterParse, multipartScope, uploadOf } from './multipart.js';
import { IdParams } from './schemas.js';

export const MAX_DIGITAL_BYTES = 50 * 1024 * 1024;

/**
 * Uploads on the product editor, each its own small multipart form: an image (with its alt text),
 * the digital file. A rejected file goes back to the editor with the reason in a flash message;
 * a file over the limit never reaches these handlers (multipartScope answers 413 with the limit).
 */
const imageUpload: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/admin/products/:id/images', { schema: { params: IdParams }, config: { csrf: false }, preValidation: csrfAfterParse }, async (request, reply) => {
    const id = new ObjectId(request.params.id);
    const back = `/admin/products/${request.params.id}`;
    if (!(await services.adminCatalog.products.byId(id))) throw new NotFoundError('No such product');
    const { fields, files } = uploadOf(request);
    const file = files.image;
    if (!file) {
      reply.flash('error', 'adminCatalog.upload.missing');
      return reply.code(303).redirect(back);
    }
    const alt: Translated = { en: (fields.alt_en ?? '').trim().slice(0, 300) };
    for (const l of LOCALES) if (l !== 'en' && fields[`alt_${l}`]?.trim()) alt[l] = (fields[`alt_${l}`] ?? '').trim().slice(0, 300);
    try {
      const stored = await services.media.storeImage(file.data, { filename: file.filename, alt: alt.en });
      await services.adminCatalog.products.addImage(actorOf(request), id, { mediaId: stored.id, alt, width: stored.width, height: stored.height, format: stored.format });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      reply.flash('error', 'adminCatalog.upload.badImage');
      return reply.code(303).redirect(back);
    }
    reply.flash('success', 'adminCatalog.upload.imageAdded');
    return reply.code(303).redirect(back);
  });
};

const digitalUpload: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/admin/products/:id/digital', { schema: { params: IdParams }, config: { csrf: false }, preValidation: csrfAfterParse }, async (request, reply) => {
    const id = new ObjectId(request.params.id);
    const back = `/admin/products/${request.params.id}`;
    const product = await services.adminCatalog.products.byId(id);
    if (!product) throw new NotFoundError('No such product');
    const { fields, files } = uploadOf(request);
    const file = files.file;
    const maxDownloads = Number(fields.maxDownloads ?? '5');
    if (!file || !Number.isSafeInteger(maxDownloads) || maxDownloads < 1) {
      reply.flash('error', 'adminCatalog.upload.missing');
      return reply.code(303).redirect(back);
    }
    const stored = await services.media.storeDownload(file.data, { filename: file.filename, contentType: file.mimetype });
    await services.adminCatalog.products.setDigital(actorOf(request), id, { fileId: stored.fileId, fileName: stored.fileName, maxDownloads });
    reply.flash('success', 'adminCatalog.upload.digitalSet');
    return reply.code(303).redirect(back);
  });
};

export const uploadRoutes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  await app.register(multipartScope({ fileSize: MAX_IMAGE_BYTES }, imageUpload), context);
  await app.register(multipartScope({ fileSize: MAX_DIGITAL_BYTES }, digitalUpload), context);
};
