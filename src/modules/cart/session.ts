import { ObjectId } from 'mongodb';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CartService } from './service.js';
import type { CartOwner } from './types.js';

declare module 'fastify' {
  interface Session {
    /** Hex id of the guest cart (a signed-in user's cart is found by user id). */
    cartId?: string;
    /** Orders placed in this session: their confirmation pages may be shown again. */
    placedOrders?: string[];
  }
}

export function toObjectId(value: unknown): ObjectId | undefined {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) ? new ObjectId(value) : undefined;
}

/** The cart owner of this request: the signed-in user, else the session's guest cart. */
export function cartOwner(request: FastifyRequest): CartOwner {
  const userId = toObjectId(request.user?.id);
  if (userId) return { userId };
  return { cartId: toObjectId(request.session.cartId) };
}

/** The header's item count for this request's views: set only for a non-empty cart (no badge, and the shared header, otherwise). */
export async function setHeaderCount(request: FastifyRequest, reply: FastifyReply, carts: Pick<CartService, 'count'>, known?: number): Promise<void> {
  if (request.session === undefined) return;
  const owner = cartOwner(request);
  if (!owner.userId && !owner.cartId) return;
  const count = known ?? (await carts.count(owner));
  if (count > 0) reply.locals = { ...(reply.locals ?? {}), cartCount: count };
}

/**
 * The site-wide hook counts for GET pages only. A POST of the cart or checkout forms may end in a
 * 422 page (schema refused before any handler ran, or the form re-rendered): this counts for those
 * too, before validation, so the header is the same as on the GET page.
 */
export function countForFormPages(app: FastifyInstance, carts: Pick<CartService, 'count'>): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.method === 'POST') await setHeaderCount(request, reply, carts);
  });
}
