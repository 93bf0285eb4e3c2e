import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { requireUser } from '../../plugins/auth.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ModuleContext } from '../types.js';
import { COUNTRIES, type AddressInput } from './addresses.js';
import { renderForm, schemaFieldErrors, stringFields } from './form.js';
import { AddressBody, AddressParams, DefaultBody } from './schemas.js';

const FIELDS = ['fullName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'phone'] as const;

/** Address book: list, add, edit, delete, default shipping / billing. */
export const addressRoutes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = services;
  app.addHook('preHandler', requireUser);
  const userId = (request: FastifyRequest): string => request.user?.id ?? '';

  /** Country names in the page's language, sorted for it. */
  const countries = (request: FastifyRequest) => {
    const names = new Intl.DisplayNames([request.locale], { type: 'region' });
    return COUNTRIES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, request.locale));
  };

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    addressId: string | null,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
  ) => {
    const title = request.t(addressId === null ? 'accounts.address.new.title' : 'accounts.address.edit.title');
    const action = addressId === null ? '/account/addresses' : `/account/addresses/${addressId}`;
    return renderForm(request, reply, 'accounts/address-form', { title, values, errors, action, countries: countries(request) });
  };

  app.get('/account/addresses', async (request, reply) => {
    const book = await accounts.addressBook(userId(request));
    const names = new Intl.DisplayNames([request.locale], { type: 'region' });
    const addresses = book.addresses.map((a) => ({ ...a, countryName: names.of(a.country) ?? a.country }));
    return reply.render('accounts/addresses', { title: request.t('accounts.addresses.title'), ...book, addresses });
  });

  app.get('/account/addresses/new', async (request, reply) => {
    const country = request.locale === 'pt-BR' ? 'BR' : request.locale === 'es' ? 'ES' : 'US';
    return formPage(request, reply, null, { country, fullName: request.user?.name ?? '' });
  });

  app.get('/account/addresses/:id/edit', { schema: { params: AddressParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const book = await accounts.addressBook(userId(request));
    const address = book.addresses.find((a) => a.id === id);
    if (!address) throw new NotFoundError('No such address');
    const values: Record<string, string> = { ...address };
    if (book.defaultShippingId === id) values.defaultShipping = 'on';
    if (book.defaultBillingId === id) values.defaultBilling = 'on';
    return formPage(request, reply, id, values);
  });

  const save = async (request: FastifyRequest, reply: FastifyReply, addressId: string | null) => {
    const values = stringFields(request.body, [...FIELDS, 'defaultShipping', 'defaultBilling']);
    if (request.validationError) return formPage(request, reply, addressId, values, schemaFieldErrors(request));
    const input = Object.fromEntries(FIELDS.map((f) => [f, values[f] ?? ''])) as unknown as AddressInput;
    try {
      await accounts.saveAddress(userId(request), addressId, input, {
        defaultShipping: values.defaultShipping === 'on',
        defaultBilling: values.defaultBilling === 'on',
      });
    } catch (error) {
      if (error instanceof ValidationError) return formPage(request, reply, addressId, values, error.fields);
      throw error;
    }
    reply.flash('success', 'accounts.address.saved');
    return reply.code(303).redirect('/account/addresses');
  };

  app.post('/account/addresses', { schema: { body: AddressBody }, attachValidation: true }, async (request, reply) => save(request, reply, null));

  app.post('/account/addresses/:id', { schema: { params: AddressParams, body: AddressBody }, attachValidation: true }, async (request, reply) => {
    const id = stringFields(request.params, ['id']).id ?? '';
    // A malformed id is a missing address, whatever the body says.
    if (!/^[0-9a-f]{16}$/.test(id)) throw new NotFoundError('No such address');
    return save(request, reply, id);
  });

  app.post('/account/addresses/:id/delete', { schema: { params: AddressParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await accounts.deleteAddress(userId(request), id);
    reply.flash('success', 'accounts.address.deleted');
    return reply.code(303).redirect('/account/addresses');
  });

  app.post('/account/addresses/:id/default', { schema: { params: AddressParams, body: DefaultBody } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { kind } = request.body as { kind: 'shipping' | 'billing' };
    await accounts.setDefaultAddress(userId(request), id, kind);
    reply.flash('success', 'accounts.address.defaultSet');
    return reply.code(303).redirect('/account/addresses');
  });
};
