import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FieldError } from '../../lib/errors.js';
import { LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../admin/scope.js';
import { errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import { FlatForm, languageNames, postedVersion, str, type Values } from '../admin-structure/form.js';
import type { ModuleContext } from '../types.js';
import { parseTaxes, taxRows, taxValues } from './forms.js';
import { countryNamer } from './shipping-routes.js';

const ADMIN_ONLY = { adminOnly: true } as const;
const ADD_ROWS = 3;

/** /admin/taxes (admins): one rate per destination country, and whether catalog prices include tax. */
export const taxRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const commerce = services.adminCommerce;

  async function page(request: FastifyRequest, reply: FastifyReply, values: Values, errors: readonly FieldError[] = [], conflict?: ReturnType<typeof diffValues>) {
    const model = errorModel(request, errors);
    reply.code(conflict ? 409 : model.list.length > 0 ? 422 : 200);
    const { settings } = await commerce.taxes();
    return reply.render('admin/taxes/edit', {
      title: request.t('adminCommerce.taxes.title'), values, rows: taxRows(values), errors: model.byField, errorList: model.list, conflict: conflict ?? null,
      locales: LOCALES, languageNames: languageNames(request), countryName: countryNamer(request.locale), served: settings.countries,
    });
  }

  app.get('/admin/taxes', { config: { adminOnly: true } }, async (request, reply) => {
    const { settings, version } = await commerce.taxes();
    return page(request, reply, { ...taxValues(settings.taxRates, settings.pricesIncludeTax), version: String(version) });
  });

  app.post('/admin/taxes', { schema: { body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return page(request, reply, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    // "More rows" re-shows the form with blank rows: no JavaScript, nothing saved.
    if (str(values, 'action') === 'addRows') return page(request, reply, { ...values, rows: String(taxRows(values) + ADD_ROWS) });
    const parsed = parseTaxes(values);
    if (!parsed.change) return page(request, reply, values, parsed.errors);
    if (!(await commerce.saveTaxes(actorOf(request), parsed.change, postedVersion(values)))) {
      const latest = await commerce.taxes();
      const stored = taxValues(latest.settings.taxRates, latest.settings.pricesIncludeTax);
      return page(request, reply, { ...values, version: String(latest.version) }, [], diffValues(values, stored));
    }
    reply.flash('success', 'adminCommerce.taxes.saved');
    return reply.code(303).redirect('/admin/taxes');
  });
};
