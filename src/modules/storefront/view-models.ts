import type { Locale } from '../../i18n/locales.js';
import { formatMoney } from '../../lib/money.js';
import type { ProductCard } from '../catalog/repository.js';
import { pick } from '../catalog/translated.js';
import type { ProductDoc, ProductImage, Variant } from '../catalog/types.js';
import { pictureModel, type PictureModel } from '../media/picture.js';

/** Product cards are shown 2 (phone) to 4 (desktop) per row. */
export const CARD_SIZES = '(min-width: 64em) 17rem, (min-width: 40em) 33vw, 50vw';

export interface CardModel {
  href: string;
  title: string;
  /** Raw HTML (escaped + <mark>) when the card is a search result. */
  titleHtml?: string;
  excerptHtml?: string;
  price: string;
  /** "from" price when variants differ. */
  priceIsFrom: boolean;
  compareAt: string | undefined;
  inStock: boolean;
  picture: PictureModel | undefined;
}

export function imagePicture(image: ProductImage | undefined, locale: Locale, options: { sizes: string; eager?: boolean }): PictureModel | undefined {
  if (!image) return undefined;
  return pictureModel(image, { alt: pick(image.alt, locale), sizes: options.sizes, eager: options.eager, preferredWidth: 640 });
}

export function cardModel(card: ProductCard, locale: Locale, link: (path: string) => string, eager = false): CardModel {
  const currency = card.price.currency;
  return {
    href: link(`/p/${card.slug}`),
    title: pick(card.title, locale),
    price: formatMoney({ amount: card.minPrice, currency }, locale),
    priceIsFrom: card.minPrice !== card.price.amount,
    compareAt: card.compareAtPrice && card.compareAtPrice.amount > card.minPrice ? formatMoney(card.compareAtPrice, locale) : undefined,
    inStock: card.inStock,
    picture: imagePicture(card.images[0], locale, { sizes: CARD_SIZES, eager }),
  };
}

/**
 * The variant a visitor picked with the no-JS form (`o_<option>=<value>` query parameters): among
 * the variants matching every chosen value (all of them when nothing was chosen), the first one in
 * stock, else the first one. A full choice matches one variant, which is kept even when sold out.
 */
export function chooseVariant(product: Pick<ProductDoc, 'variants' | 'options'>, chosen: Record<string, string>): Variant | undefined {
  const codes = product.options.map((o) => o.code).filter((c) => chosen[c] !== undefined);
  const matching = product.variants.filter((v) => codes.every((c) => v.options[c] === chosen[c]));
  return matching.find((v) => v.stock > 0) ?? matching[0];
}

export type Availability = 'in-stock' | 'low-stock' | 'out-of-stock';
export const LOW_STOCK = 5;

export function availability(variant: Variant | undefined): Availability {
  if (!variant || variant.stock <= 0) return 'out-of-stock';
  return variant.stock <= LOW_STOCK ? 'low-stock' : 'in-stock';
}

export const SCHEMA_AVAILABILITY: Readonly<Record<Availability, string>> = {
  'in-stock': 'https://schema.org/InStock',
  'low-stock': 'https://schema.org/LimitedAvailability',
  'out-of-stock': 'https://schema.org/OutOfStock',
};

/** Minor units → the decimal string schema.org expects ("19.99"). */
export function decimalPrice(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (amount / 10 ** digits).toFixed(digits);
}
