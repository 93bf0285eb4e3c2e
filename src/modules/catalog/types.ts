import type { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';

/** Text in every language of the shop; `en` is always present and is the fallback. */
export type Translated = { en: string } & Partial<Record<Exclude<Locale, 'en'>, string>>;

/** A string per language of the shop, every one present (derived values such as `sortTitles`). */
export type SortTitles = Record<Locale, string>;

export type PublishStatus = 'draft' | 'published';

/** Money: an integer number of minor units (cents) plus an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

export interface CategoryDoc {
  _id: ObjectId;
  slug: string;
  /** Previous slugs; their URLs answer 301 to the current one. */
  oldSlugs: string[];
  parentId: ObjectId | null;
  /** Ancestor ids from the root down (at most two: the tree is three levels deep). */
  ancestorIds: ObjectId[];
  name: Translated;
  description: Translated;
  sortOrder: number;
  status: PublishStatus;
  imageId?: ObjectId;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic-concurrency version, incremented by every save. */
  version: number;
}

export interface ProductImage {
  /** Media id (GridFS file of the original; see the media module). */
  mediaId: ObjectId;
  alt: Translated;
  width: number;
  height: number;
  /** Fallback (non-WebP) format of the stored variants; absent means jpeg (the seed's). */
  format?: 'jpeg' | 'png' | 'webp';
}

export interface ProductOption {
  /** Stable code, e.g. "size", "colour". */
  code: string;
  name: Translated;
  /** Allowed values, in display order: code + label. */
  values: { code: string; label: Translated }[];
}

export interface Variant {
  _id: ObjectId;
  sku: string;
  /** option code → value code, e.g. { size: "m", colour: "blue" }. */
  options: Record<string, string>;
  /** Overrides the product price when set. */
  price?: Money;
  /** Units available. Only ever changed with conditional `$inc` updates (never read-modify-write). */
  stock: number;
  /** Grams. */
  weight: number;
}

export interface ProductDoc {
  _id: ObjectId;
  slug: string;
  oldSlugs: string[];
  title: Translated;
  /** Markdown source per language. */
  description: Translated;
  /** Safe HTML rendered from `description` when saved. */
  descriptionHtml: Translated;
  price: Money;
  compareAtPrice?: Money;
  images: ProductImage[];
  categoryIds: ObjectId[];
  tags: string[];
  options: ProductOption[];
  variants: Variant[];
  status: PublishStatus;
  /** Sort key for "featured" (higher first). */
  featuredRank: number;
  digital?: { fileId: ObjectId; fileName: string; maxDownloads: number };
  /** Denormalised for list filters and sorting: min effective variant price, total stock. */
  minPrice: number;
  inStock: boolean;
  /**
   * Sum of the variants' stock, for the admin list's sort by stock (an index instead of a sum over
   * every product per request). Kept equal to the sum by every write: set with the variants
   * (derivedProductFields), `$inc`ed with a variant's stock in the same update (stock.ts). Absent
   * only on documents written before it existed, until the start-up backfill (admin-repository.ts).
   */
  totalStock?: number;
  /**
   * Sort keys by title, one per language of the shop: the title the storefront shows in that language
   * (`pick`: its own title, else the English one), folded so case and accents do not split the order
   * (sortTitlesOf in translated.ts). The storefront's "name" sort walks `sortTitles.<locale>`; the
   * admin list's sort by title walks `sortTitles.en` (the list shows the English title). Set with
   * the title by every write (derivedProductFields). Absent only on documents written before it
   * existed, until the start-up backfill (admin-repository.ts).
   */
  sortTitles?: SortTitles;
  createdAt: Date;
  updatedAt: Date;
  publishedAt?: Date;
  version: number;
}
