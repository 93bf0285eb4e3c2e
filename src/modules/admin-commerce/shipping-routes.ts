import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError, type FieldError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../admin/scope.js';
import { errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import { FlatForm, languageNames, postedVersion, str, type Values } from '../admin-structure/form.js';
import type { ShippingMethod } from '../checkout/settings.js';
import type { ModuleContext } from '../types.js';
import { parseShipping, readCountries, shippingValues } from './forms.js';

const ADMIN_ONLY = { adminOnly: true } as const;
const MethodParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) });

/** Country code → its name in the page's language. */
export function countryNamer(locale: string): (code: string) => string {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  return (code) => names.of(code) ?? code;
}

/** /admin/shipping (admins): the countries served and the shipping methods (flat rate, free above, pickup). */
export const shippingRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const commerce = services.adminCommerce;
  const currency = async () => (await services.site.getSettings()).currency;

  async function listPage(request: FastifyRequest, reply: FastifyReply, countryValues?: Values, errors: readonly FieldError[] = []) {
    const { settings, version } = await commerce.shipping();
    const model = errorModel(request, errors);
    reply.code(model.list.length > 0 ? 422 : 200);
    return reply.render('admin/shipping/list', {
      title: request.t('adminCommerce.shipping.title'), methods: settings.shippingMethods, currency: await currency(), version,
      values: countryValues ?? { countries: settings.countries.join(', ') }, errors: model.byField, errorList: model.list, countryName: countryNamer(request.locale),
    });
  }

  app.get('/admin/shipping', { config: ADMIN_ONLY }, async (request, reply) => listPage(request, reply));

  app.post('/admin/shipping/countries', { schema: { body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return listPage(request, reply, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const errors: FieldError[] = [];
    const countries = readCountries(str(values, 'countries'), 'countries', errors);
    if (errors.length > 0) return listPage(request, reply, values, errors);
    const { settings } = await commerce.shipping();
    if (!(await commerce.saveShipping(actorOf(request), { shippingMethods: settings.shippingMethods, countries }, postedVersion(values)))) {
      reply.flash('error', 'adminStructure.conflict.title');
      return reply.code(303).redirect('/admin/shipping');
    }
    reply.flash('success', 'adminCommerce.shipping.saved');
    return reply.code(303).redirect('/admin/shipping');
  });

  async function form(request: FastifyRequest, reply: FastifyReply, method: ShippingMethod | null, values: Values, errors: readonly FieldError[] = [], conflict?: ReturnType<typeof diffValues>) {
    const { settings } = await commerce.shipping();
    const model = errorModel(request, errors);
    reply.code(conflict ? 409 : model.list.length > 0 ? 422 : 200);
    return reply.render('admin/shipping/edit', {
      title: method ? method.name.en : request.t('adminCommerce.shipping.new'), method, values, errors: model.byField, errorList: model.list, conflict: conflict ?? null,
      served: settings.countries, countryName: countryNamer(request.locale), locales: LOCALES, languageNames: languageNames(request), currency: await currency(),
      action: method ? `/admin/shipping/${method.id}` : '/admin/shipping/new',
    });
  }

  const find = (methods: readonly ShippingMethod[], id: string): ShippingMethod => {
    const method = methods.find((m) => m.id === id);
    if (!method) throw new NotFoundError('No such shipping method');
    return method;
  };

  app.get('/admin/shipping/new', { config: ADMIN_ONLY }, async (request, reply) => {
    const { settings, version } = await commerce.shipping();
    return form(request, reply, null, { kind: 'flat', countries: settings.countries, version: String(version) });
  });
  app.get('/admin/shipping/:id', { schema: { params: MethodParams }, config: ADMIN_ONLY }, async (request, reply) => {
    const { settings, version } = await commerce.shipping();
    const method = find(settings.shippingMethods, request.params.id);
    return form(request, reply, method, { ...shippingValues(method, await currency()), version: String(version) });
  });

  async function submit(request: FastifyRequest, reply: FastifyReply, id: string | null) {
    const values = (request.body ?? {}) as Values;
    const { settings } = await commerce.shipping();
    const method = id === null ? null : find(settings.shippingMethods, id);
    if (request.validationError) return form(request, reply, method, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const parsed = parseShipping(values, { currency: await currency(), served: settings.countries, existingIds: settings.shippingMethods.map((m) => m.id), ...(method ? { id: method.id } : {}) });
    if (!parsed.method) return form(request, reply, method, values, parsed.errors);
    const next = parsed.method;
    const methods = method ? settings.shippingMethods.map((m) => (m.id === method.id ? next : m)) : [...settings.shippingMethods, next];
    const saved = await commerce.saveShipping(actorOf(request), { shippingMethods: methods, countries: settings.countries }, postedVersion(values), method ? 'shipping.update' : 'shipping.create');
    if (!saved) {
      const latest = await commerce.shipping();
      const now = latest.settings.shippingMethods.find((m) => m.id === next.id);
      return form(request, reply, method, { ...values, version: String(latest.version) }, [], diffValues(values, now ? shippingValues(now, await currency()) : {}));
    }
    reply.flash('success', 'adminCommerce.shipping.saved');
    return reply.code(303).redirect(`/admin/shipping/${next.id}`);
  }

  app.post('/admin/shipping/new', { schema: { body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => submit(request, reply, null));
  app.post('/admin/shipping/:id', { schema: { params: MethodParams, body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => submit(request, reply, request.params.id));

  app.post('/admin/shipping/:id/delete', { schema: { params: MethodParams, body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => {
    const { settings } = await commerce.shipping();
    const method = find(settings.shippingMethods, request.params.id);
    const values = (request.body ?? {}) as Values;
    const methods = settings.shippingMethods.filter((m) => m.id !== method.id);
    if (request.validationError || !(await commerce.saveShipping(actorOf(request), { shippingMethods: methods, countries: settings.countries }, postedVersion(values), 'shipping.delete'))) {
      reply.flash('error', 'adminStructure.conflict.title');
      return reply.code(303).redirect(`/admin/shipping/${method.id}`);
    }
    reply.flash('success', 'adminCommerce.shipping.deleted');
    return reply.code(303).redirect('/admin/shipping');
  });
};
