import { createHash } from 'node:crypto';
import { MongoServerError, ObjectId } from 'mongodb';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { renderMarkdown } from '../../lib/markdown.js';
import type { CatalogAdminRepository, EditableSet } from './admin-repository.js';
import type { VersionedCache } from './cache.js';
import { derivedProductFields, type CatalogService } from './service.js';
import type { StockStore } from './stock.js';
import { mapTranslated } from './translated.js';
import type { ProductDoc, ProductImage, Translated, Variant } from './types.js';

/**
 * Staff edits of products (the back office). An edit `$set`s only the editable fields, on the
 * version it read; stock is never written back from a form: a changed stock figure is applied as
 * an explicit adjustment (conditional `$inc` of the difference, stock.ts). A save over a newer
 * version is refused only when the editable fields changed meanwhile (another editor): stock moves
 * by orders bump the version too, but they do not conflict with an edit.
 */

export interface VariantEdit {
  _id?: ObjectId;
  sku: string;
  options: Record<string, string>;
  price?: ProductDoc['price'];
  weight: number;
  /** The stock wanted; with `stockBase` (what the form showed) it gives the adjustment. */
  stock: number;
  stockBase?: number;
}

export interface ProductEdit {
  slug: string;
  title: Translated;
  description: Translated;
  price: ProductDoc['price'];
  compareAtPrice?: ProductDoc['price'];
  categoryIds: ObjectId[];
  tags: string[];
  options: ProductDoc['options'];
  status: ProductDoc['status'];
  /**
   * Scheduled publishing: a published product appears on the storefront from then on. Absent: it
   * appears at once (a product already shown keeps its publishedAt; a schedule still ahead is dropped).
   */
  publishAt?: Date;
  featuredRank: number;
  /** Kept images in display order with their alt text (by media id; width/height come from the stored ones). */
  images: { mediaId: ObjectId; alt: Translated }[];
  /** null: remove the digital file; undefined: keep it. */
  digital?: { maxDownloads: number } | null;
  variants: VariantEdit[];
}

export interface Actor {
  id: string;
  email: string;
  ip: string;
}

export interface AuditSink {
  record(input: { actor: { id: string; email: string }; action: string; entity: { type: string; id: string }; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; ip: string }): Promise<unknown>;
}

export type SaveResult = { kind: 'saved'; doc: ProductDoc; stockRefused: string[] } | { kind: 'conflict'; current: ProductDoc };

const EDITABLE = ['slug', 'title', 'description', 'price', 'compareAtPrice', 'categoryIds', 'tags', 'options', 'status', 'publishedAt', 'featuredRank', 'images', 'digital'] as const;

/** The editable content of a product, stock left out: two reads with the same fingerprint need no merge. */
export function editFingerprint(doc: ProductDoc): string {
  const picked: Record<string, unknown> = {};
  for (const key of EDITABLE) picked[key] = doc[key] ?? null;
  picked.variants = doc.variants.map(({ stock: _s, ...rest }) => rest);
  return createHash('sha256').update(JSON.stringify(picked)).digest('base64url').slice(0, 22);
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : null;
}

function editableView(doc: Pick<ProductDoc, (typeof EDITABLE)[number] | 'variants'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EDITABLE) out[key] = doc[key];
  out.variants = doc.variants.map((v) => ({ sku: v.sku, options: v.options, price: v.price, weight: v.weight }));
  return out;
}

/** publishedAt after an edit: the given schedule; else now for a product not yet shown; else unchanged. */
function publishedAtSet(edit: ProductEdit, current: ProductDoc, now: Date): { publishedAt?: Date } {
  if (edit.publishAt) return { publishedAt: edit.publishAt };
  const notShownYet = !current.publishedAt || current.publishedAt > now;
  return edit.status === 'published' && notShownYet ? { publishedAt: now } : {};
}

export interface EditorDeps {
  repository: CatalogAdminRepository;
  stock: StockStore;
  catalog: Pick<CatalogService, 'createProduct'>;
  cache: VersionedCache;
  audit: AuditSink;
  clock: () => Date;
}

export function createProductEditor({ repository, stock, catalog, cache, audit, clock }: EditorDeps) {
  async function checkUnique(edit: ProductEdit, id?: ObjectId): Promise<void> {
    const errors: { field: string; messageKey: string; params?: Record<string, string> }[] = [];
    if (await repository.slugTaken(edit.slug, id)) errors.push({ field: 'slug', messageKey: 'adminCatalog.error.slugTaken' });
    const taken = await repository.skusTaken(edit.variants.map((v) => v.sku), id);
    edit.variants.forEach((v, i) => {
      if (taken.includes(v.sku)) errors.push({ field: `v${i}_sku`, messageKey: 'adminCatalog.error.skuTaken', params: { sku: v.sku } });
    });
    if (errors.length > 0) throw new ValidationError(errors);
  }

  /** Applies the stock differences the form asked for; returns the SKUs whose adjustment was refused. */
  async function adjustStock(actor: Actor, productId: ObjectId, doc: ProductDoc, edit: ProductEdit): Promise<string[]> {
    const refused: string[] = [];
    for (const v of edit.variants) {
      const delta = v.stock - (v.stockBase ?? 0);
      const stored = doc.variants.find((d) => d.sku === v.sku);
      if (delta === 0 || !stored) continue;
      if (await stock.adjust(productId, stored._id, delta)) {
        await audit.record({ actor, ip: actor.ip, action: 'product.stock', entity: { type: 'product', id: productId.toHexString() }, before: { sku: v.sku, stock: v.stockBase ?? 0 }, after: { sku: v.sku, delta } });
      } else refused.push(v.sku);
    }
    return refused;
  }

  return {
    async create(actor: Actor, edit: ProductEdit): Promise<{ doc: ProductDoc; stockRefused: string[] }> {
      await checkUnique(edit);
      const doc = await catalog.createProduct({
        slug: edit.slug, title: edit.title, description: edit.description, price: edit.price,
        ...(edit.compareAtPrice ? { compareAtPrice: edit.compareAtPrice } : {}), categoryIds: edit.categoryIds, tags: edit.tags,
        options: edit.options, status: edit.status, ...(edit.publishAt ? { publishedAt: edit.publishAt } : {}), featuredRank: edit.featuredRank, images: [],
        // New variants start at zero; the wanted figure goes in as an adjustment, like any stock change.
        variants: edit.variants.map((v) => ({ sku: v.sku, options: v.options, ...(v.price ? { price: v.price } : {}), weight: v.weight, stock: 0 })),
      });
      await audit.record({ actor, ip: actor.ip, action: 'product.create', entity: { type: 'product', id: doc._id.toHexString() }, before: null, after: editableView(doc) });
      const stockRefused = await adjustStock(actor, doc._id, doc, { ...edit, variants: edit.variants.map((v) => ({ ...v, stockBase: 0 })) });
      await cache.invalidate();
      return { doc, stockRefused };
    },

    /**
     * Saves `edit` over the product read at `base` (its version and fingerprint). Retries the
     * compare-and-swap when only stock moved in between; a conflict when the content did.
     */
    async save(actor: Actor, id: ObjectId, edit: ProductEdit, base: { version: number; fingerprint: string }): Promise<SaveResult> {
      await checkUnique(edit, id);
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await repository.byId(id);
        if (!current) throw new NotFoundError('No such product');
        if (current.version !== base.version && editFingerprint(current) !== base.fingerprint) return { kind: 'conflict', current };
        const stockOf = new Map(current.variants.map((v) => [v._id.toHexString(), v.stock]));
        const bySku = new Map(current.variants.map((v) => [v.sku, v]));
        const variants: Variant[] = edit.variants.map((v) => {
          const existing = (v._id && current.variants.find((c) => c._id.equals(v._id as ObjectId))) ?? bySku.get(v.sku);
          const _id = existing?._id ?? new ObjectId();
          return { _id, sku: v.sku, options: v.options, ...(v.price ? { price: v.price } : {}), weight: v.weight, stock: stockOf.get(_id.toHexString()) ?? 0 };
        });
        const images: ProductImage[] = edit.images.flatMap((img) => {
          const stored = current.images.find((c) => c.mediaId.equals(img.mediaId));
          return stored ? [{ ...stored, alt: img.alt }] : [];
        });
        const now = clock();
        const set: EditableSet = {
          slug: edit.slug, title: edit.title, description: edit.description, descriptionHtml: mapTranslated(edit.description, renderMarkdown),
          price: edit.price, categoryIds: edit.categoryIds, tags: edit.tags, options: edit.options, status: edit.status,
          featuredRank: edit.featuredRank, images, variants, ...derivedProductFields(edit.title, edit.price, variants), updatedAt: now,
          ...publishedAtSet(edit, current, now),
        };
        if (edit.compareAtPrice) set.compareAtPrice = edit.compareAtPrice;
        if (current.digital && edit.digital) set.digital = { ...current.digital, maxDownloads: edit.digital.maxDownloads };
        const unset = [
          ...(!edit.compareAtPrice && current.compareAtPrice ? ['compareAtPrice'] : []), ...(edit.digital === null && current.digital ? ['digital'] : []),
          // A draft whose schedule was cleared: no stale date waiting for a later publish.
          ...(!edit.publishAt && edit.status === 'draft' && current.publishedAt && current.publishedAt > now ? ['publishedAt'] : []),
        ];
        const oldSlug = edit.slug !== current.slug ? current.slug : undefined;
        let written: boolean;
        try {
          written = await repository.setIfVersion(id, current.version, set, oldSlug, unset);
        } catch (error) {
          // The slug was taken between the check and the write (unique index).
          if (error instanceof MongoServerError && error.code === 11000) throw new ValidationError([{ field: 'slug', messageKey: 'adminCatalog.error.slugTaken' }]);
          throw error;
        }
        if (!written) continue;
        const next: ProductDoc = { ...current, ...set, version: current.version + 1 } as ProductDoc;
        for (const key of unset) delete (next as unknown as Record<string, unknown>)[key];
        const change = changedFields(editableView(current), editableView(next));
        if (change) await audit.record({ actor, ip: actor.ip, action: 'product.update', entity: { type: 'product', id: id.toHexString() }, ...change });
        const stockRefused = await adjustStock(actor, id, next, edit);
        await cache.invalidate();
        return { kind: 'saved', doc: next, stockRefused };
      }
      const current = await repository.byId(id);
      if (!current) throw new NotFoundError('No such product');
      return { kind: 'conflict', current };
    },

    async addImage(actor: Actor, id: ObjectId, image: ProductImage): Promise<void> {
      if (!(await repository.pushImage(id, image, clock()))) throw new NotFoundError('No such product');
      await audit.record({ actor, ip: actor.ip, action: 'product.image.add', entity: { type: 'product', id: id.toHexString() }, before: null, after: { mediaId: image.mediaId.toHexString() } });
      await cache.invalidate();
    },

    async setDigital(actor: Actor, id: ObjectId, digital: NonNullable<ProductDoc['digital']>): Promise<void> {
      const previous = await repository.setDigital(id, digital, clock());
      if (previous === undefined) throw new NotFoundError('No such product');
      await audit.record({
        actor, ip: actor.ip, action: 'product.digital', entity: { type: 'product', id: id.toHexString() },
        before: previous ? { fileName: previous.fileName, maxDownloads: previous.maxDownloads } : null, after: { fileName: digital.fileName, maxDownloads: digital.maxDownloads },
      });
      await cache.invalidate();
    },

    async bulk(actor: Actor, ids: readonly ObjectId[], action: 'publish' | 'unpublish' | 'delete'): Promise<{ changed: number; busy: number }> {
      let changed: ObjectId[];
      let busy: ObjectId[] = [];
      if (action === 'delete') ({ deleted: changed, busy } = await repository.deleteIdle(ids));
      else changed = await repository.setStatus(ids, action === 'publish' ? 'published' : 'draft', clock());
      for (const pid of changed) {
        await audit.record({
          actor, ip: actor.ip, action: `product.${action}`, entity: { type: 'product', id: pid.toHexString() },
          before: action === 'publish' ? { status: 'draft' } : action === 'unpublish' ? { status: 'published' } : { deleted: false },
          after: action === 'publish' ? { status: 'published' } : action === 'unpublish' ? { status: 'draft' } : null,
        });
      }
      if (changed.length > 0) await cache.invalidate();
      return { changed: changed.length, busy: busy.length };
    },

    byId: (id: ObjectId) => repository.byId(id),
    bySku: (sku: string) => repository.bySku(sku),
    exportCursor: () => repository.exportCursor(),
  };
}

export type ProductEditor = ReturnType<typeof createProductEditor>;

/** The edit that would save `doc` unchanged (imports start from it and change some columns). */
export function editFromDoc(doc: ProductDoc): ProductEdit {
  return {
    slug: doc.slug, title: doc.title, description: doc.description, price: doc.price,
    ...(doc.compareAtPrice ? { compareAtPrice: doc.compareAtPrice } : {}), categoryIds: doc.categoryIds, tags: doc.tags,
    options: doc.options, status: doc.status, ...(doc.publishedAt ? { publishAt: doc.publishedAt } : {}), featuredRank: doc.featuredRank, images: doc.images.map((i) => ({ mediaId: i.mediaId, alt: i.alt })),
    variants: doc.variants.map((v) => ({ _id: v._id, sku: v.sku, options: v.options, ...(v.price ? { price: v.price } : {}), weight: v.weight, stock: v.stock, stockBase: v.stock })),
  };
}
