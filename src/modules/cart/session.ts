import { ObjectId } from 'mongodb';
import type { FastifyRequest } from 'fastify';
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
