import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ObjectId } from 'mongodb';
import { safeLocalPath } from '../../lib/redirect.js';
import { cartIndexes } from './repository.js';
import type { AppModule, ModuleContext } from '../types.js';
import { AddBody, RemoveBody, UpdateBody } from './schemas.js';
import { cartOwner, countForFormPages, setHeaderCount, toObjectId } from './session.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: this route's pages show no cart in their header (no count is read for them). */
    cartHeader?: boolean;
  }
}

/**
 * Runs for every page of the site (fastify-plugin: not encapsulated): the header's item count, and
 * the merge of a guest cart into the user's saved cart on the first request after sign-in.
 */
const cartContextPlugin: FastifyPluginAsync<ModuleContext> = fp(
  async (app: FastifyInstance, { services }: ModuleContext) => {
    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      // Pages whose layout shows no cart (the back office) skip the count and the merge.
      if (request.routeOptions.config.cartHeader === false) return;
      // A 404 passed on from outside the site context (static files) has no session.
      if (request.session === undefined) return;
      if (request.user && request.session.cartId) {
        const guestCartId = toObjectId(request.session.cartId);
        delete request.session.cartId;
        const userId = toObjectId(request.user.id);
        const merged = userId ? await services.cart.mergeAtLogin(guestCartId, userId) : null;
        if (merged) {
          // Counted in units (what the header badge shows), not lines.
          const key = merged.capped === 0 ? 'cart.merged' : merged.added > 0 ? 'cart.merged.capped' : 'cart.merged.noneAdded';
          reply.flash(merged.capped > 0 ? 'info' : 'success', key, { count: merged.added });
        }
      }
      await setHeaderCount(request, reply, services.cart);
    });
  },
  { name: 'cart-context', dependencies: ['session', 'flash'] },
);

const routes: FastifyPluginAsync<ModuleContext> = async (base, { services }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { cart } = services;
  countForFormPages(base, cart);

  app.get('/cart', async (request, reply) => {
    const view = await cart.view(cartOwner(request));
    const model = { title: request.t('cart.title'), view, cartCount: view?.itemCount ?? null };
    const response = await reply.render('cart/index', model);
    // Shown once: the customer has now seen the current prices.
    if (view?.priceChanged) await cart.acknowledgePrices(view);
    return response;
  });

  // /cart/items is the product page's form action; /cart/add the older name (both kept).
  app.post<{ Body: AddBody }>('/cart/items', { schema: { body: AddBody } }, (request, reply) => add(request, reply));
  app.post<{ Body: AddBody }>('/cart/add', { schema: { body: AddBody } }, (request, reply) => add(request, reply));

  async function add(request: FastifyRequest<{ Body: AddBody }>, reply: FastifyReply): Promise<FastifyReply> {
    const qty = Math.max(1, Number(request.body.qty ?? request.body.quantity ?? '1'));
    const back = safeLocalPath(request.body.returnTo, '/cart');
    const outcome = await cart.add(cartOwner(request), new ObjectId(request.body.variantId), qty);
    if (outcome.kind === 'unavailable') reply.flash('error', 'cart.add.unavailable');
    else if (outcome.kind === 'out_of_stock') reply.flash('error', 'cart.add.outOfStock');
    else {
      if (!request.user) request.session.cartId = outcome.cartId.toHexString();
      if (outcome.kind === 'capped') reply.flash('info', 'cart.add.capped', { count: outcome.available });
      else reply.flash('success', 'cart.add.done');
      return reply.code(303).redirect('/cart');
    }
    return reply.code(303).redirect(back);
  }

  app.post('/cart/update', { schema: { body: UpdateBody } }, async (request, reply) => {
    const result = await cart.setQuantity(cartOwner(request), new ObjectId(request.body.variantId), Number(request.body.qty));
    if (!result) reply.flash('error', 'cart.line.missing');
    else if (result.capped) reply.flash('info', result.qty === 0 ? 'cart.add.outOfStock' : 'cart.add.capped', { count: result.qty });
    else reply.flash('success', result.qty === 0 ? 'cart.removed' : 'cart.updated');
    return reply.code(303).redirect('/cart');
  });

  app.post('/cart/remove', { schema: { body: RemoveBody } }, async (request, reply) => {
    await cart.remove(cartOwner(request), new ObjectId(request.body.variantId));
    reply.flash('success', 'cart.removed');
    return reply.code(303).redirect('/cart');
  });
};

/** The header count and login merge, for every page: listed first in src/modules/index.ts. */
export const cartContextModule: AppModule = { name: 'cart-context', routes: cartContextPlugin };
export const cartModule: AppModule = { name: 'cart', routes, indexes: cartIndexes };
