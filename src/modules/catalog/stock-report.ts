import type { Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import { PRODUCTS } from './repository.js';
import type { ProductDoc, Translated } from './types.js';

/** Low-stock report for the back-office dashboard: variants of published products at or under a threshold. */
export interface LowStockVariant {
  productId: string;
  slug: string;
  title: Translated;
  sku: string;
  stock: number;
}

export const stockReportIndexes: readonly IndexDeclaration[] = [
  { collection: PRODUCTS, key: { 'variants.stock': 1 }, options: { name: 'variants_stock' } },
];

export function createStockReport(db: Db) {
  const products = db.collection<ProductDoc>(PRODUCTS);
  return {
    async lowStock(threshold: number, limit: number): Promise<LowStockVariant[]> {
      const rows = await products
        .aggregate<Omit<LowStockVariant, 'productId'> & { productId: unknown }>([
          { $match: { status: 'published', digital: { $exists: false }, 'variants.stock': { $lte: threshold } } },
          // Only what the report shows goes through $unwind (never descriptions or images).
          { $project: { slug: 1, title: 1, 'variants.sku': 1, 'variants.stock': 1 } },
          { $unwind: '$variants' },
          { $match: { 'variants.stock': { $lte: threshold } } },
          { $project: { _id: 0, productId: '$_id', slug: 1, title: 1, sku: '$variants.sku', stock: '$variants.stock' } },
          { $sort: { stock: 1, sku: 1 } },
          { $limit: limit },
        ])
        .toArray();
      return rows.map((r) => ({ ...r, productId: String(r.productId) }));
    },
  };
}

export type StockReport = ReturnType<typeof createStockReport>;
