import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { formatMegabytes } from '../../lib/format.js';
import { LANGUAGE_LABEL_KEYS, LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../admin/scope.js';
import { editFingerprint } from '../catalog/editor.js';
import type { ProductDoc } from '../catalog/types.js';
import { MAX_IMAGE_BYTES } from '../media/image-processing.js';
import { mediaUrl } from '../media/picture.js';
import { variantWidths } from '../media/widths.js';
import type { ModuleContext } from '../types.js';
import { categoryChoices, errorModel } from './form-view.js';
import { BLANK_VARIANT_ROWS, diffValues, imageRows, list, OPTION_ROWS, parseProductForm, productValues, str, variantRows, type Values } from './product-form.js';
import { BulkBody, IdParams, ProductForm, ProductListQuery } from './schemas.js';
import { MAX_DIGITAL_BYTES } from './upload-routes.js';

const PER_PAGE = 50;
const ADD_ROWS = 3;

/** /admin/products: the list (search, sort, pages, bulk actions) and the editor (new and existing). */
export const productRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { products, productList } = services.adminCatalog;

  app.get('/admin/products', { schema: { querystring: ProductListQuery } }, async (request, reply) => {
    const q = request.query;
    const query = { q: q.q ?? '', status: q.status ?? '', sort: q.sort ?? 'updated', dir: q.dir === 'asc' ? 1 : -1, page: q.page ?? 1, perPage: PER_PAGE } as const;
    const result = await productList.list(query);
    return reply.render('admin/products/list', {
      title: request.t('adminCatalog.products.title'),
      query: { ...query, dir: query.dir === 1 ? 'asc' : 'desc' },
      list: result,
    });
  });

  app.post('/admin/products/bulk', { schema: { body: BulkBody }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) {
      reply.flash('error', 'adminCatalog.bulk.invalid');
      return reply.code(303).redirect('/admin/products');
    }
    const ids = list(request.body as Values, 'ids').map((id) => new ObjectId(id));
    if (ids.length === 0) {
      reply.flash('error', 'adminCatalog.bulk.none');
      return reply.code(303).redirect('/admin/products');
    }
    const { changed, busy } = await products.bulk(actorOf(request), ids, request.body.action);
    reply.flash('success', 'adminCatalog.bulk.done', { count: changed });
    if (busy > 0) reply.flash('error', 'adminCatalog.bulk.busy', { count: busy });
    return reply.code(303).redirect('/admin/products');
  });

  async function editor(request: FastifyRequest, reply: FastifyReply, options: { product: ProductDoc | null; values: Values; errors?: readonly FieldError[]; conflict?: ReturnType<typeof diffValues>; status?: number }) {
    const { product, values } = options;
    const errors = errorModel(request, options.errors ?? []);
    const code = options.status ?? (errors.list.length > 0 ? 422 : 200);
    reply.code(code);
    return reply.render('admin/products/edit', {
      title: product ? product.title.en : request.t('adminCatalog.products.new'),
      product, values, errors: errors.byField, errorList: errors.list, conflict: options.conflict ?? null,
      action: product ? `/admin/products/${product._id.toHexString()}` : '/admin/products/new',
      categories: categoryChoices(await services.catalog.allCategories()),
      locales: LOCALES, languageNames: Object.fromEntries(LOCALES.map((l) => [l, request.t(LANGUAGE_LABEL_KEYS[l])])), optionRows: OPTION_ROWS, variantRows: variantRows(values), imageRows: imageRows(values),
      thumbs: new Map((product?.images ?? []).map((i) => [i.mediaId.toHexString(), mediaUrl(i.mediaId, variantWidths(i.width)[0] ?? i.width, i.format ?? 'jpeg')])),
      viewUrl: product ? `/p/${product.slug}` : null,
      scheduledAt: product?.status === 'published' && product.publishedAt && product.publishedAt > new Date() ? product.publishedAt : null,
      // The limits the upload routes enforce (upload-routes.ts), named in the upload forms' labels.
      uploadLimits: { image: formatMegabytes(MAX_IMAGE_BYTES, request.locale), file: formatMegabytes(MAX_DIGITAL_BYTES, request.locale) },
    });
  }

  const loaded = async (id: string): Promise<ProductDoc> => {
    const product = await products.byId(new ObjectId(id));
    if (!product) throw new NotFoundError('No such product');
    return product;
  };
  const currencyOf = async (product: ProductDoc | null) => product?.price.currency ?? (await services.site.getSettings()).currency;
  const knownCategories = async () => new Set((await services.catalog.allCategories()).map((c) => c._id.toHexString()));
  // "Publish from" is typed and shown in the shop's time zone, like a content page's.
  const timeZone = async () => (await services.admin.settings.get()).timeZone;

  app.get('/admin/products/new', async (request, reply) =>
    editor(request, reply, { product: null, values: { status: 'draft', rows: String(BLANK_VARIANT_ROWS + 1), featuredRank: '0' } }),
  );

  app.get('/admin/products/:id', { schema: { params: IdParams } }, async (request, reply) => {
    const product = await loaded(request.params.id);
    return editor(request, reply, { product, values: productValues(product, editFingerprint(product), await timeZone(), new Date()) });
  });

  /** "Add rows" re-shows the form with more blank variant rows: no JavaScript, nothing saved. */
  const withMoreRows = (values: Values): Values => ({ ...values, rows: String(variantRows(values) + ADD_ROWS) });

  app.post('/admin/products/new', { schema: { body: ProductForm }, attachValidation: true }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return editor(request, reply, { product: null, values, errors: [{ field: '_form', messageKey: 'adminCatalog.error.form' }] });
    if (str(values, 'action') === 'addRows') return editor(request, reply, { product: null, values: withMoreRows(values) });
    const parsed = parseProductForm(values, await currencyOf(null), await knownCategories(), await timeZone());
    if (!parsed.edit) return editor(request, reply, { product: null, values, errors: parsed.errors });
    try {
      const { doc, stockRefused } = await products.create(actorOf(request), parsed.edit);
      reply.flash('success', 'adminCatalog.products.created');
      if (stockRefused.length > 0) reply.flash('error', 'adminCatalog.stock.refused', { skus: stockRefused.join(', ') });
      return reply.code(303).redirect(`/admin/products/${doc._id.toHexString()}`);
    } catch (error) {
      if (error instanceof ValidationError) return editor(request, reply, { product: null, values, errors: error.fields });
      throw error;
    }
  });

  app.post('/admin/products/:id', { schema: { params: IdParams, body: ProductForm }, attachValidation: true }, async (request, reply) => {
    const product = await loaded(request.params.id);
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return editor(request, reply, { product, values, errors: [{ field: '_form', messageKey: 'adminCatalog.error.form' }] });
    if (str(values, 'action') === 'addRows') return editor(request, reply, { product, values: withMoreRows(values) });
    const parsed = parseProductForm(values, await currencyOf(product), await knownCategories(), await timeZone());
    if (!parsed.edit) return editor(request, reply, { product, values, errors: parsed.errors });
    const version = Number(str(values, 'version'));
    try {
      const result = await products.save(actorOf(request), product._id, parsed.edit, { version, fingerprint: str(values, 'fp') });
      if (result.kind === 'conflict') {
        // Keep what the user typed, but on the current version: saving again is a deliberate overwrite.
        const current = result.current;
        const conflict = diffValues(values, productValues(current, '', await timeZone(), new Date()));
        return editor(request, reply, { product: current, values: { ...values, version: String(current.version), fp: editFingerprint(current) }, conflict, status: 409 });
      }
      reply.flash('success', 'adminCatalog.products.saved');
      if (result.stockRefused.length > 0) reply.flash('error', 'adminCatalog.stock.refused', { skus: result.stockRefused.join(', ') });
      return reply.code(303).redirect(`/admin/products/${product._id.toHexString()}`);
    } catch (error) {
      if (error instanceof ValidationError) return editor(request, reply, { product, values, errors: error.fields });
      throw error;
    }
  });
};
