import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import type { FieldError } from '../../lib/errors.js';
import { schemaFieldErrors, stringFields, translateErrors } from '../accounts/form.js';
import { COUNTRIES } from '../accounts/addresses.js';
import { cartOwner, countForFormPages, toObjectId } from '../cart/session.js';
import type { CartView } from '../cart/service.js';
import { isPaymentMethod, PAYMENT_LABEL_KEYS, PAYMENT_METHODS } from '../payments/types.js';
import type { AppModule, ModuleContext } from '../types.js';
import { discountIndexes } from './discounts.js';
import { STEP_LABEL_KEYS, STEPS, type CheckoutStep } from './draft.js';
import { AddressBody, ContactBody, DiscountBody, DoneParams, PlaceBody, ShippingBody } from './schemas.js';

/** The steps whose page shows the side summary (views/checkout/_cart-summary.eta); the review shows the full totals. */
const SUMMARY_STEPS: ReadonlySet<CheckoutStep> = new Set(['contact', 'address', 'shipping', 'discount']);

const ADDRESS_FIELDS = ['fullName', 'line1', 'line2', 'city', 'region', 'postalCode', 'country', 'phone'] as const;

/**
 * The checkout: one server-rendered form per step (JavaScript not needed), answers stored on the
 * cart, every POST answered with 303 (back button and refresh safe), invalid input re-rendered with
 * 422. A step reached too early redirects to the first unanswered one.
 */
const routes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cart: carts, checkout } = services;
  const userIdOf = (request: FastifyRequest) => toObjectId(request.user?.id) ?? null;
  countForFormPages(base, carts);

  /** The current cart, orderable; otherwise the redirect to send instead. */
  async function currentCart(request: FastifyRequest, reply: FastifyReply): Promise<CartView | undefined> {
    const view = await carts.view(cartOwner(request));
    if (!view || view.lines.length === 0) {
      reply.code(303).redirect('/cart');
      return undefined;
    }
    if (!view.orderable) {
      reply.flash('error', 'cart.fixProblems');
      reply.code(303).redirect('/cart');
      return undefined;
    }
    return view;
  }

  /** Redirects to an earlier step that is still unanswered; true when it did. */
  async function guard(view: CartView, step: CheckoutStep, reply: FastifyReply): Promise<boolean> {
    const missing = await checkout.missingStep(view.cart);
    if (missing && STEPS.indexOf(missing) < STEPS.indexOf(step)) {
      reply.code(303).redirect(`/checkout/${missing}`);
      return true;
    }
    return false;
  }

  async function page(request: FastifyRequest, reply: FastifyReply, step: CheckoutStep, view: CartView, model: Record<string, unknown>, errors: readonly FieldError[] = []) {
    const translated = translateErrors(request, errors);
    reply.code(errors.length > 0 ? 422 : 200);
    const settings = await checkout.settings();
    // The side summary's discount line, for every step that shows the summary (a step that already
    // read the code passes its own, so its page and its summary agree).
    const summaryDiscount = 'summaryDiscount' in model ? model.summaryDiscount : SUMMARY_STEPS.has(step) ? await checkout.summaryDiscount(view, userIdOf(request)) : null;
    return reply.render(`checkout/${step}`, {
      title: request.t(STEP_LABEL_KEYS[step]),
      step,
      steps: STEPS,
      stepLabels: STEP_LABEL_KEYS,
      paymentLabels: PAYMENT_LABEL_KEYS,
      view,
      settings,
      errors: translated,
      cartCount: view.itemCount,
      ...model,
      summaryDiscount,
    });
  }

  app.get('/checkout', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view) return reply;
    const missing = await checkout.missingStep(view.cart);
    return reply.code(303).redirect(`/checkout/${missing ?? 'review'}`);
  });

  app.get('/checkout/contact', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view) return reply;
    return page(request, reply, 'contact', view, { values: { email: view.cart.checkout.email ?? request.user?.email ?? '' } });
  });

  app.post('/checkout/contact', { schema: { body: ContactBody }, attachValidation: true }, async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view) return reply;
    const values = stringFields(request.body, ['email']);
    const errors = request.validationError ? schemaFieldErrors(request) : await checkout.setContact(view.cart, values.email ?? '');
    if (errors.length > 0) return page(request, reply, 'contact', view, { values }, errors);
    return reply.code(303).redirect('/checkout/address');
  });

  async function addressPage(request: FastifyRequest, reply: FastifyReply, view: CartView, values: Record<string, string>, errors: readonly FieldError[] = []) {
    const settings = await checkout.settings();
    const names = new Intl.DisplayNames([request.locale], { type: 'region' });
    const countries = COUNTRIES.filter((c) => settings.countries.includes(c)).map((code) => ({ code, name: names.of(code) ?? code }));
    // A signed-in customer picks from the address book (only countries the shop ships to).
    const book = request.user ? await services.accounts.addressBook(request.user.id) : undefined;
    const saved = (book?.addresses ?? []).filter((a) => settings.countries.includes(a.country)).map((a) => ({ ...a, countryName: names.of(a.country) ?? a.country }));
    return page(request, reply, 'address', view, { values, countries, saved }, errors);
  }

  app.get('/checkout/address', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'address', reply))) return reply;
    const saved = view.cart.checkout.address;
    const values: Record<string, string> = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, saved?.[f] ?? '']));
    if (!saved) {
      values.country = (await checkout.settings()).countries[0] ?? '';
      // The default shipping address of the book pre-fills the form.
      const book = request.user ? await services.accounts.addressBook(request.user.id) : undefined;
      const preferred = book?.addresses.find((a) => a.id === book.defaultShippingId);
      if (preferred) for (const f of ADDRESS_FIELDS) values[f] = preferred[f];
    }
    return addressPage(request, reply, view, values);
  });

  app.post('/checkout/address', { schema: { body: AddressBody }, attachValidation: true }, async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'address', reply))) return reply;
    const values = stringFields(request.body, ADDRESS_FIELDS);
    const input = { fullName: '', line1: '', line2: '', city: '', region: '', postalCode: '', country: '', phone: '', ...values };
    const errors = request.validationError ? schemaFieldErrors(request) : await checkout.setAddress(view.cart, input);
    if (errors.length > 0) return addressPage(request, reply, view, values, errors);
    return reply.code(303).redirect('/checkout/shipping');
  });

  async function shippingPage(request: FastifyRequest, reply: FastifyReply, view: CartView, errors: readonly FieldError[] = []) {
    const { options, summaryDiscount } = await checkout.shippingStep(view, userIdOf(request));
    return page(request, reply, 'shipping', view, { options, summaryDiscount, selected: view.cart.checkout.shippingMethodId ?? options[0]?.method.id }, errors);
  }

  app.get('/checkout/shipping', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'shipping', reply))) return reply;
    return shippingPage(request, reply, view);
  });

  app.post('/checkout/shipping', { schema: { body: ShippingBody }, attachValidation: true }, async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'shipping', reply))) return reply;
    const method = stringFields(request.body, ['method']).method ?? '';
    const errors = await checkout.setShipping(view.cart, method);
    if (errors.length > 0) return shippingPage(request, reply, view, errors);
    return reply.code(303).redirect('/checkout/discount');
  });

  app.get('/checkout/discount', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'discount', reply))) return reply;
    return page(request, reply, 'discount', view, { values: { code: '' }, applied: view.cart.checkout.discountCode });
  });

  app.post('/checkout/discount', { schema: { body: DiscountBody }, attachValidation: true }, async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view || (await guard(view, 'discount', reply))) return reply;
    const values = stringFields(request.body, ['code', 'action']);
    if (request.validationError) return page(request, reply, 'discount', view, { values, applied: view.cart.checkout.discountCode }, schemaFieldErrors(request));
    if (values.action === 'remove') {
      await checkout.removeDiscount(view.cart);
      reply.flash('info', 'checkout.discount.removed');
      return reply.code(303).redirect('/checkout/discount');
    }
    if (values.action === 'apply') {
      const rejected = await checkout.applyDiscount(view, values.code ?? '', userIdOf(request));
      if (rejected) {
        return page(request, reply, 'discount', view, { values, applied: view.cart.checkout.discountCode }, [{ field: 'code', messageKey: `checkout.discount.error.${rejected}` }]);
      }
      reply.flash('success', 'checkout.discount.applied', { code: (values.code ?? '').trim().toUpperCase() });
    }
    return reply.code(303).redirect('/checkout/review');
  });

  app.get('/checkout/review', async (request, reply) => {
    const view = await currentCart(request, reply);
    if (!view) return reply;
    const review = await checkout.review(view, userIdOf(request));
    if ('missing' in review) return reply.code(303).redirect(`/checkout/${review.missing}`);
    const stale = view.cart.checkout.discountCode !== undefined && review.draft.discount === null;
    return page(request, reply, 'review', view, { draft: review.draft, token: review.token, methods: PAYMENT_METHODS, staleDiscount: stale, selected: view.cart.checkout.paymentMethod ?? 'bank_transfer' });
  });

  app.post('/checkout/place', { schema: { body: PlaceBody } }, async (request, reply) => {
    const { token, paymentMethod } = request.body;
    const owner = cartOwner(request);
    const cart = await carts.find(owner);
    if (!cart) {
      // The cart is gone (emptied by this very order): a replay of the same form finds its order.
      const placed = request.session.placedOrders ?? [];
      const existing = await services.orders.byToken(token);
      if (existing && placed.includes(existing._id.toHexString())) return reply.code(303).redirect(`/checkout/done/${existing._id.toHexString()}`);
      return reply.code(303).redirect('/cart');
    }
    if (!isPaymentMethod(paymentMethod)) {
      reply.flash('error', 'checkout.payment.required');
      return reply.code(303).redirect('/checkout/review');
    }
    const outcome = await checkout.place({ cartId: cart._id, token, userId: userIdOf(request), locale: request.locale, paymentMethod });
    switch (outcome.kind) {
      case 'placed': {
        const id = outcome.order._id.toHexString();
        request.session.placedOrders = [...(request.session.placedOrders ?? []).filter((o) => o !== id).slice(-19), id];
        return reply.code(303).redirect(`/checkout/done/${id}`);
      }
      case 'failed':
        if (outcome.failure.reason === 'short') {
          for (const item of outcome.failure.items) {
            reply.flash('error', item.available > 0 ? 'checkout.short.some' : 'checkout.short.none', { title: item.title[request.locale] ?? item.title.en, count: item.available });
          }
          return reply.code(303).redirect('/cart');
        }
        reply.flash('error', outcome.failure.reason === 'discount_used_up' ? 'checkout.discount.error.used_up' : 'checkout.failed');
        return reply.code(303).redirect(outcome.failure.reason === 'discount_used_up' ? '/checkout/discount' : '/checkout/review');
      case 'incomplete':
        return reply.code(303).redirect(`/checkout/${outcome.step}`);
      case 'discount':
        reply.flash('error', `checkout.discount.error.${outcome.reason}`);
        return reply.code(303).redirect('/checkout/discount');
      case 'payment':
        reply.flash('error', 'checkout.payment.required');
        return reply.code(303).redirect('/checkout/review');
      case 'busy':
      case 'stale':
        reply.flash('info', 'checkout.stale');
        return reply.code(303).redirect('/checkout/review');
    }
  });

  app.get('/checkout/done/:id', { schema: { params: DoneParams } }, async (request, reply) => {
    const id = request.params.id;
    if (!(request.session.placedOrders ?? []).includes(id)) return reply.callNotFound();
    const order = await services.orders.get(new ObjectId(id));
    if (!order) return reply.callNotFound();
    const links = services.orders.links();
    return reply.render('checkout/confirmation', {
      title: request.t('checkout.done.title'),
      order,
      orderPath: links?.orderPath(id) ?? '/',
      signedIn: request.user !== null,
    });
  });
};

export const checkoutModule: AppModule = { name: 'checkout', routes, indexes: discountIndexes };
