/**
 * Issue 7 benchmark data: 10,000 products written straight into the catalog collection with
 * insertMany (batches of 1,000), so the admin product list is measured over a big catalog.
 */
import { ObjectId, type Db } from 'mongodb';
import { sortTitlesOf } from '../src/modules/catalog/translated.js';
import type { ProductDoc } from '../src/modules/catalog/types.js';

const WORDS = ['linen', 'wool', 'lamp', 'chair', 'shirt', 'scarf', 'mug', 'bowl', 'table', 'print', 'candle', 'bag'];

export async function seedManyProducts(db: Db, count = 10_000): Promise<void> {
  const products = db.collection<ProductDoc>('products');
  if ((await products.countDocuments({ tags: 'bench' })) >= count) return;
  const now = Date.now();
  for (let start = 0; start < count; start += 1000) {
    const batch: ProductDoc[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const word = WORDS[i % WORDS.length] ?? 'thing';
      const price = 500 + ((i * 7919) % 20_000);
      const at = new Date(now - i * 60_000);
      const variants = ['s', 'm', 'l'].map((size, k) => ({ _id: new ObjectId(), sku: `BENCH-${i}-${size}`, options: { size }, stock: (i + k) % 13, weight: 200 }));
      const title = { en: `Bench ${word} ${i}`, 'pt-BR': `Banco ${word} ${i}`, es: `Banco ${word} ${i}` };
      batch.push({
        _id: new ObjectId(), slug: `bench-${word}-${i}`, oldSlugs: [], title, sortTitles: sortTitlesOf(title),
        description: { en: `A ${word} for the benchmark.` }, descriptionHtml: { en: `<p>A ${word} for the benchmark.</p>` },
        price: { amount: price, currency: 'EUR' }, images: [], categoryIds: [], tags: ['bench'],
        options: [{ code: 'size', name: { en: 'Size' }, values: ['s', 'm', 'l'].map((c) => ({ code: c, label: { en: c.toUpperCase() } })) }],
        variants, totalStock: variants.reduce((n, v) => n + v.stock, 0), status: i % 5 === 0 ? 'draft' : 'published', featuredRank: 0, minPrice: price, inStock: true,
        createdAt: at, updatedAt: at, version: 1,
      });
    }
    await products.insertMany(batch, { ordered: false });
  }
  // Written behind the services' back: tell the caches.
  await db.collection<{ _id: string; version: number }>('cacheVersions').updateOne({ _id: 'catalog' }, { $inc: { version: 1 } }, { upsert: true });
}
