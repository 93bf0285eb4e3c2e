import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LOCALES, LANGUAGE_LABEL_KEYS } from '../../i18n/locales.js';
import type { FieldError } from '../../lib/errors.js';
import { schemaFieldErrors, stringFields, translateErrors } from '../accounts/form.js';
import { actorOf } from '../admin/scope.js';
import { pick } from '../catalog/translated.js';
import { PAYMENT_LABEL_KEYS, PAYMENT_METHODS } from '../payments/types.js';
import type { ModuleContext } from '../types.js';
import { MANUAL_LINES } from './manual-order.js';
import { ManualBody } from './schemas.js';

const ADDRESS = ['fullName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'phone'] as const;
const LINE_NAMES = Array.from({ length: MANUAL_LINES }, (_, i) => [`sku${i + 1}`, `qty${i + 1}`]).flat();
const FIELDS = ['formKey', 'email', 'locale', ...ADDRESS, 'shippingMethod', 'paymentMethod', 'paid', ...LINE_NAMES];

const newFormKey = (): string => randomBytes(18).toString('base64url');

/** GET/POST /admin/orders/new: an order entered by staff for an offline sale. */
export const manualRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  async function formPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: readonly FieldError[] = []) {
    const settings = await services.checkout.settings();
    if (errors.length > 0) reply.code(422);
    return reply.render('admin/orders/new', {
      title: request.t('adminOrders.manual.title'),
      values,
      errors: translateErrors(request, errors),
      lines: MANUAL_LINES,
      countries: settings.countries,
      shippingMethods: settings.shippingMethods.map((m) => ({ id: m.id, name: pick(m.name, request.locale), countries: m.countries.join(', ') })),
      paymentMethods: PAYMENT_METHODS.map((id) => ({ id, labelKey: PAYMENT_LABEL_KEYS[id].label })),
      locales: LOCALES.map((id) => ({ id, labelKey: LANGUAGE_LABEL_KEYS[id] })),
    });
  }

  app.get('/admin/orders/new', async (request, reply) => {
    const defaults: Record<string, string> = { formKey: newFormKey(), locale: request.locale, paymentMethod: 'cash_on_delivery', qty1: '1' };
    return formPage(request, reply, defaults);
  });

  app.post('/admin/orders/new', { schema: { body: ManualBody }, attachValidation: true }, async (request, reply) => {
    const values = stringFields(request.body, FIELDS);
    if (request.validationError) return formPage(request, reply, values, schemaFieldErrors(request));
    const v = (name: string): string => values[name] ?? '';
    const outcome = await services.adminOrders.createManual(
      actorOf(request),
      {
        formKey: v('formKey'), email: v('email'), locale: v('locale'), fullName: v('fullName'), line1: v('line1'), line2: v('line2'), city: v('city'),
        region: v('region'), postalCode: v('postalCode'), country: v('country'), phone: v('phone'), shippingMethod: v('shippingMethod'),
        paymentMethod: v('paymentMethod'), lines: Array.from({ length: MANUAL_LINES }, (_, i) => ({ sku: v(`sku${i + 1}`), qty: v(`qty${i + 1}`) })),
      },
      v('paid') === 'on',
    );
    // A fresh key for the corrected form: a placement that failed keeps its token for good.
    if (outcome.kind === 'invalid') return formPage(request, reply, { ...values, formKey: newFormKey() }, outcome.errors);
    reply.flash('success', 'adminOrders.manual.done', { number: String(outcome.order.number) });
    return reply.code(303).redirect(`/admin/orders/${outcome.order.number}`);
  });
};
