import type { Filter } from 'mongodb';
import type { ProductDoc } from './types.js';

/**
 * Scheduled publishing: a product is on the storefront once it is published AND its `publishedAt`
 * has come. A published product without `publishedAt` (data written before it existed) counts as
 * published long ago. The filter is a range on `publishedAt` after the equality on `status`, so
 * the list indexes carry it as their last field (repository.ts).
 */
export function visibleFilter(now: Date): Filter<ProductDoc> {
  return { status: 'published', publishedAt: { $not: { $gt: now } } };
}

export function isVisible(product: Pick<ProductDoc, 'status' | 'publishedAt'>, now: Date): boolean {
  return product.status === 'published' && !(product.publishedAt instanceof Date && product.publishedAt > now);
}
