import type { ObjectId } from 'mongodb';
import type { ProductImage } from '../../modules/catalog/types.js';
import type { MenuLink } from '../../modules/cms/types.js';
import type { MediaService } from '../../modules/media/service.js';
import type { SeedContext, Seeder } from '../types.js';
import { DEMO_CATEGORIES } from './categories.js';
import { DEMO_PAGES, HOME_TEXT } from './pages.js';
import { simplePdf } from './pdf.js';
import { hslHex, renderPicture, renderWallpaper } from './pictures.js';
import { demoProducts, type DemoProduct } from './products.js';
import { createDemoStore, type DemoStore } from './store.js';

/** Pictures are drawn two at a time: the machine may be small and shared. */
const PARALLEL = 2;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function seedCategories(store: DemoStore, media: MediaService): Promise<Map<string, ObjectId>> {
  const ids = await store.categoryIdsBySlug();
  for (const c of DEMO_CATEGORIES) {
    if (ids.has(c.slug)) continue;
    const picture = await renderPicture({ silhouette: 'category', fill: hslHex(c.hue, 45, 45), hue: c.hue, label: c.name.en });
    const image = await media.storeImage(picture, { filename: `${c.slug}.jpg`, alt: c.name.en });
    const parentId = c.parent === null ? null : (ids.get(c.parent) ?? null);
    ids.set(c.slug, await store.createCategory({ slug: c.slug, name: c.name, description: c.description, parentId, sortOrder: DEMO_CATEGORIES.indexOf(c), imageId: image.id }));
  }
  return ids;
}

async function productFiles(product: DemoProduct, media: MediaService): Promise<{ images: ProductImage[]; digital?: { fileId: ObjectId; fileName: string; maxDownloads: number } }> {
  const images: ProductImage[] = [];
  for (const [i, spec] of product.pictures.entries()) {
    const stored = await media.storeImage(await renderPicture(spec), { filename: `${product.slug}-${i + 1}.jpg`, alt: product.alts[i]?.en });
    images.push({ mediaId: stored.id, alt: product.alts[i] ?? product.title, width: stored.width, height: stored.height });
  }
  const kind = product.family.digital;
  if (kind === undefined) return { images };
  const file =
    kind === 'pdf'
      ? await media.storeDownload(simplePdf(product.title.en, product.description.en.split('\n').filter((l) => l.trim() !== '')), {
          filename: `${product.slug}.pdf`,
          contentType: 'application/pdf',
        })
      : await media.storeDownload(await renderWallpaper(product.featuredRank * 3, product.title.en), { filename: `${product.slug}.png`, contentType: 'image/png' });
  return { images, digital: { fileId: file.fileId, fileName: file.fileName, maxDownloads: 5 } };
}

async function seedProducts(store: DemoStore, media: MediaService, categories: Map<string, ObjectId>, log: (m: string) => void): Promise<Map<string, ObjectId>> {
  const products = demoProducts();
  const ids = new Map<string, ObjectId>();
  for (const p of products) {
    const id = await store.productId(p.slug);
    if (id) ids.set(p.slug, id);
  }
  const missing = products.filter((p) => !ids.has(p.slug));
  // Pictures in parallel; inserts in catalogue order, so "newest" sorts the same way every time.
  const files = await mapLimit(missing, PARALLEL, (p) => productFiles(p, media));
  for (const [i, p] of missing.entries()) {
    const { images, digital } = files[i] ?? { images: [] };
    const categoryId = categories.get(p.family.category);
    const id = await store.createProduct({
      slug: p.slug, title: p.title, description: p.description, price: p.price,
      ...(p.compareAtPrice ? { compareAtPrice: p.compareAtPrice } : {}),
      images, categoryIds: categoryId ? [categoryId] : [], tags: p.tags, options: p.options, variants: p.variants,
      status: 'published', featuredRank: p.featuredRank, ...(digital ? { digital } : {}),
    });
    ids.set(p.slug, id);
  }
  log(`${missing.length} products created, ${products.length - missing.length} already present`);
  return ids;
}

async function seedContent(store: DemoStore, media: MediaService, categories: Map<string, ObjectId>, products: Map<string, ObjectId>): Promise<void> {
  const pages = new Map<string, ObjectId>();
  for (const page of DEMO_PAGES) {
    const id = (await store.pageId(page.slug)) ?? (await store.createPage({ ...page, status: 'published' }));
    pages.set(page.slug, id);
  }

  if (!(await store.hasMenu())) {
    const links: MenuLink[] = [];
    for (const slug of ['clothing', 'home', 'digital']) {
      const categoryId = categories.get(slug);
      if (categoryId) links.push({ kind: 'category', categoryId });
    }
    const about = pages.get('about');
    if (about) links.push({ kind: 'page', pageId: about });
    await store.setMenu(links);
  }

  if (!(await store.hasHome())) {
    const hero = await media.storeImage(await renderPicture({ silhouette: 'tee', fill: '#22325a', hue: 24, label: 'Vitrine', width: 1280, height: 640 }), {
      filename: 'hero.jpg',
      alt: HOME_TEXT.hero.heading.en,
    });
    const featured = demoProducts()
      .filter((p) => p.variants.some((v) => v.stock > 0))
      .sort((a, b) => b.featuredRank - a.featuredRank || a.slug.localeCompare(b.slug))
      .slice(0, 8)
      .flatMap((p) => products.get(p.slug) ?? []);
    await store.setHome([
      { kind: 'hero', heading: HOME_TEXT.hero.heading, text: HOME_TEXT.hero.text, imageId: hero.id, link: { url: '/c/clothing', label: HOME_TEXT.hero.link } },
      { kind: 'featuredCategories', heading: HOME_TEXT.categories, categoryIds: ['t-shirts', 'hoodies', 'kitchen', 'decor'].flatMap((s) => categories.get(s) ?? []) },
      { kind: 'featuredProducts', heading: HOME_TEXT.products, productIds: featured },
      { kind: 'richText', markdown: HOME_TEXT.richText },
    ]);
  }
}

/**
 * The demo shop: categories, 69 products with variants and generated pictures, content pages, the
 * menu and the home page, in en, pt-BR and es. Idempotent: what exists (by slug, or the menu/home
 * document) is left alone, so re-running never duplicates nor overwrites an admin's edits.
 */
export const demoShopSeeder: Seeder = {
  name: 'demo-shop',
  async run({ db, services, log }: SeedContext) {
    const started = Date.now();
    const store = createDemoStore({ db, services });
    const categories = await seedCategories(store, services.media);
    const products = await seedProducts(store, services.media, categories, log);
    await seedContent(store, services.media, categories, products);
    log(`demo shop ready in ${Date.now() - started} ms`);
  },
};
