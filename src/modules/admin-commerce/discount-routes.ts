import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { actorOf } from '../admin/scope.js';
import { errorModel } from '../admin-catalog/form-view.js';
import { diffValues } from '../admin-catalog/product-form.js';
import { FlatForm, ObjectIdParams, postedVersion, type Values } from '../admin-structure/form.js';
import type { DiscountDoc } from '../checkout/discounts.js';
import type { ModuleContext } from '../types.js';
import { discountValues, parseDiscount } from './forms.js';

const ADMIN_ONLY = { adminOnly: true } as const;

/** /admin/discounts (admins): discount codes — percentage or fixed, minimum order, dates, usage limits, uses so far. */
export const discountRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const commerce = services.adminCommerce;
  const currency = async () => (await services.site.getSettings()).currency;
  const timeZone = async () => (await services.admin.settings.get()).timeZone;

  app.get('/admin/discounts', { config: ADMIN_ONLY }, async (request, reply) =>
    reply.render('admin/discounts/list', { title: request.t('adminCommerce.discounts.title'), discounts: await commerce.listDiscounts(), currency: await currency(), now: new Date() }),
  );

  async function form(request: FastifyRequest, reply: FastifyReply, discount: DiscountDoc | null, values: Values, errors: readonly FieldError[] = [], conflict?: ReturnType<typeof diffValues>) {
    const model = errorModel(request, errors);
    reply.code(conflict ? 409 : model.list.length > 0 ? 422 : 200);
    return reply.render('admin/discounts/edit', {
      title: discount ? discount.code : request.t('adminCommerce.discounts.new'), discount, values, errors: model.byField, errorList: model.list, conflict: conflict ?? null,
      currency: await currency(), timeZone: await timeZone(), action: discount ? `/admin/discounts/${discount._id.toHexString()}` : '/admin/discounts/new',
    });
  }

  const loaded = async (id: string): Promise<DiscountDoc> => {
    const discount = await commerce.discountById(new ObjectId(id));
    if (!discount) throw new NotFoundError('No such discount');
    return discount;
  };

  app.get('/admin/discounts/new', { config: ADMIN_ONLY }, async (request, reply) => form(request, reply, null, { kind: 'percentage', active: 'on' }));
  app.get('/admin/discounts/:id', { schema: { params: ObjectIdParams }, config: ADMIN_ONLY }, async (request, reply) => {
    const discount = await loaded(request.params.id);
    return form(request, reply, discount, discountValues(discount, await currency(), await timeZone()));
  });

  async function submit(request: FastifyRequest, reply: FastifyReply, discount: DiscountDoc | null) {
    const values = (request.body ?? {}) as Values;
    if (request.validationError) return form(request, reply, discount, values, [{ field: '_form', messageKey: 'adminCatalog.error.form' }]);
    const [cur, tz] = [await currency(), await timeZone()];
    const parsed = parseDiscount(values, cur, tz);
    if (!parsed.edit) return form(request, reply, discount, values, parsed.errors);
    try {
      if (!discount) {
        const created = await commerce.createDiscount(actorOf(request), parsed.edit);
        reply.flash('success', 'adminCommerce.discounts.saved');
        return reply.code(303).redirect(`/admin/discounts/${created._id.toHexString()}`);
      }
      const result = await commerce.updateDiscount(actorOf(request), discount._id, parsed.edit, postedVersion(values));
      if (result.kind === 'conflict') {
        const stored = discountValues(result.current, cur, tz);
        return form(request, reply, result.current, { ...values, version: stored.version ?? '' }, [], diffValues(values, stored));
      }
    } catch (error) {
      if (error instanceof ValidationError) return form(request, reply, discount, values, error.fields);
      throw error;
    }
    reply.flash('success', 'adminCommerce.discounts.saved');
    return reply.code(303).redirect(`/admin/discounts/${discount._id.toHexString()}`);
  }

  app.post('/admin/discounts/new', { schema: { body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => submit(request, reply, null));
  app.post('/admin/discounts/:id', { schema: { params: ObjectIdParams, body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) =>
    submit(request, reply, await loaded(request.params.id)),
  );

  app.post('/admin/discounts/:id/delete', { schema: { params: ObjectIdParams, body: FlatForm }, attachValidation: true, config: ADMIN_ONLY }, async (request, reply) => {
    const discount = await loaded(request.params.id);
    const values = (request.body ?? {}) as Values;
    if (request.validationError || !(await commerce.deleteDiscount(actorOf(request), discount, postedVersion(values)))) {
      reply.flash('error', 'adminCommerce.discounts.notDeleted');
      return reply.code(303).redirect(`/admin/discounts/${discount._id.toHexString()}`);
    }
    reply.flash('success', 'adminCommerce.discounts.deleted');
    return reply.code(303).redirect('/admin/discounts');
  });
};
