import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/locales.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { mediaUrl } from '../../src/modules/media/picture.js';
import { parseSeedArgs, seedCommand } from '../../src/seed/command.js';
import { RESET_COLLECTIONS } from '../../src/seed/reset.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** One full seed takes a few seconds (pictures are drawn and resized): this file seeds twice. */
let t: TestApp;
const logs: string[] = [];

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of RESET_COLLECTIONS) out[name] = await db.collection(name).countDocuments();
  return out;
}

async function seed(argv: string[] = []) {
  return seedCommand({ db: t.db, services: t.services, config: t.config, log: (m) => logs.push(m) }, parseSeedArgs(argv));
}

beforeAll(async () => {
  t = await createTestApp();
  await seed();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('demo shop seed', () => {
  it('creates a category tree, 60+ published products with variants and images, in three languages', async () => {
    const categories = await t.db.collection('categories').find().toArray();
    expect(categories.length).toBeGreaterThanOrEqual(8);
    expect(categories.some((c) => (c.ancestorIds as unknown[]).length === 2)).toBe(true);

    const products = await t.db.collection<ProductDoc>('products').find({ status: 'published' }).toArray();
    expect(products.length).toBeGreaterThanOrEqual(60);
    for (const p of products) {
      for (const l of LOCALES) {
        expect(p.title[l], `${p.slug} title ${l}`).toBeTruthy();
        expect(p.descriptionHtml[l], `${p.slug} html ${l}`).toContain('<li>');
      }
      expect(p.variants.length).toBeGreaterThan(0);
      expect(p.images.length).toBeGreaterThan(0);
      expect(p.price.currency).toBe('EUR');
      expect(Number.isInteger(p.price.amount)).toBe(true);
      expect(p.categoryIds).toHaveLength(1);
    }
    // Translations differ from English (not copies).
    const tee = products.find((p) => p.slug === 'mountain-tee');
    expect(tee?.title).toEqual({ en: 'Mountain T-shirt', 'pt-BR': 'Camiseta Montanha', es: 'Camiseta Montaña' });
    expect(tee?.options.map((o) => o.code)).toEqual(['size', 'colour']);

    const variants = products.flatMap((p) => p.variants);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    expect(variants.some((v) => v.stock === 0)).toBe(true);
    expect(variants.some((v) => v.stock > 0 && v.stock <= 3)).toBe(true);
    expect(products.some((p) => !p.inStock)).toBe(true);
    expect(products.some((p) => p.compareAtPrice !== undefined && p.compareAtPrice.amount > p.price.amount)).toBe(true);
    expect(products.filter((p) => p.digital !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(products.some((p) => p.tags.length > 0)).toBe(true);
  });

  it('stores images that the shop serves, and private files for digital products', async () => {
    const product = await t.db.collection<ProductDoc>('products').findOne({ slug: 'mountain-tee' });
    const image = product?.images[0];
    expect(image).toMatchObject({ width: 800, height: 800 });
    if (!image) return;
    expect(image.alt['pt-BR']).toContain('Camiseta Montanha');
    for (const url of [mediaUrl(image.mediaId, 320, 'webp'), mediaUrl(image.mediaId, 800, 'jpeg')]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(200);
    }
    const ebook = await t.db.collection<ProductDoc>('products').findOne({ slug: 'slow-kitchen-ebook' });
    const file = ebook?.digital ? await t.services.media.openDownload(ebook.digital.fileId) : null;
    expect(file?.contentType).toBe('application/pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of file?.stream ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 8).toString()).toBe('%PDF-1.4');
  });

  it('creates the content pages, the menu and the home sections', async () => {
    const pages = await t.db.collection('pages').find().toArray();
    expect(pages.map((p) => p.slug as string).sort()).toEqual(['about', 'privacy', 'returns', 'shipping']);
    const menu = await t.services.cms.menu();
    expect(menu.map((l) => l.href)).toEqual(['/c/clothing', '/c/home', '/c/digital', '/pages/about']);
    const home = await t.services.cms.home();
    expect(home.map((s) => s.kind)).toEqual(['hero', 'featuredCategories', 'featuredProducts', 'richText']);
    const featured = home.find((s) => s.kind === 'featuredProducts');
    expect(featured?.kind === 'featuredProducts' ? featured.products.length : 0).toBe(8);
  });

  it('changes nothing when run again, and keeps what an admin changed', async () => {
    const before = await counts(t.db);
    const product = await t.db.collection<ProductDoc>('products').findOne({ slug: 'wave-tee' });
    await t.db.collection('products').updateOne({ slug: 'wave-tee' }, { $set: { 'title.en': 'Edited by staff', status: 'draft' } });

    const again = await seed(['--force']);
    expect(again.ran).toContain('demo-shop');
    expect(await counts(t.db)).toEqual(before);
    const after = await t.db.collection<ProductDoc>('products').findOne({ slug: 'wave-tee' });
    expect(after?._id).toEqual(product?._id);
    expect(after?.title.en).toBe('Edited by staff');
    expect(after?.status).toBe('draft');

    // Without --force the registry skips it altogether.
    expect((await seed()).skipped).toContain('demo-shop');
  });

  it('--reset wipes the demo data and seeds the same shop again', async () => {
    const before = await counts(t.db);
    const skus = async () => (await t.db.collection<ProductDoc>('products').find().toArray()).flatMap((p) => p.variants.map((v) => v.sku)).sort();
    const skusBefore = await skus();

    const result = await seed(['--reset']);
    expect(result.removed).toBeGreaterThan(1000);
    expect(result.ran).toEqual(['site-settings', 'checkout-settings', 'demo-shop']);
    expect(await counts(t.db)).toEqual(before);
    expect(await skus()).toEqual(skusBefore);
    const wave = await t.db.collection<ProductDoc>('products').findOne({ slug: 'wave-tee' });
    expect(wave?.title.en).toBe('Wave T-shirt');
    expect(wave?.status).toBe('published');
  }, 60_000);
});
