import { ObjectId } from 'mongodb';
import { LOCALES } from '../../i18n/locales.js';
import type { FieldError } from '../../lib/errors.js';
import { minorUnitDigits, parseMoneyInput, type Money } from '../../lib/money.js';
import type { ProductEdit, VariantEdit } from '../catalog/editor.js';
import { isSlug } from '../catalog/translated.js';
import type { ProductDoc, Translated } from '../catalog/types.js';
import { fromLocal, toLocal } from './local-time.js';

/**
 * The product editor form: flat field names (`title_pt-BR`, `v2_sku`, `opt0_values`, `img1_alt_es`)
 * so it posts as a plain urlencoded form without JavaScript. `Values` is what the form shows
 * (kept as typed on a 422); `parseProductForm` turns it into a ProductEdit or field errors.
 */

export type Values = Record<string, string | string[]>;
export const OPTION_ROWS = 3;
export const BLANK_VARIANT_ROWS = 2;
export const MAX_VARIANT_ROWS = 200;

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;

export function str(values: Values, name: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : '';
}
export function list(values: Values, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

/** Decimal text of minor units, in the form's plain notation ("19.90"). */
export function decimal(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return digits === 0 ? String(amount) : (amount / 10 ** digits).toFixed(digits);
}

export function variantRows(values: Values): number {
  const n = Number(str(values, 'rows'));
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_VARIANT_ROWS) : BLANK_VARIANT_ROWS;
}
export function imageRows(values: Values): number {
  const n = Number(str(values, 'imgCount'));
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 50) : 0;
}

/**
 * The form values of a stored product (and the blank rows after its variants). "Publish from" shows
 * only a schedule still ahead, in the shop's time zone: once the product is shown it has no use.
 */
export function productValues(doc: ProductDoc, fingerprint: string, timeZone: string, now: Date): Values {
  const scheduled = doc.publishedAt && doc.publishedAt > now ? doc.publishedAt : undefined;
  const v: Values = {
    version: String(doc.version), fp: fingerprint, slug: doc.slug, status: doc.status, publishAt: toLocal(scheduled, timeZone), featuredRank: String(doc.featuredRank),
    price: decimal(doc.price.amount, doc.price.currency), compareAtPrice: doc.compareAtPrice ? decimal(doc.compareAtPrice.amount, doc.compareAtPrice.currency) : '',
    tags: doc.tags.join(', '), categoryIds: doc.categoryIds.map((id) => id.toHexString()),
    rows: String(doc.variants.length + BLANK_VARIANT_ROWS), imgCount: String(doc.images.length),
    digital_max: doc.digital ? String(doc.digital.maxDownloads) : '',
  };
  for (const l of LOCALES) {
    v[`title_${l}`] = doc.title[l] ?? '';
    v[`description_${l}`] = doc.description[l] ?? '';
  }
  doc.options.slice(0, OPTION_ROWS).forEach((o, j) => {
    v[`opt${j}_code`] = o.code;
    v[`opt${j}_values`] = o.values.map((x) => x.code).join(', ');
    for (const l of LOCALES) {
      v[`opt${j}_name_${l}`] = o.name[l] ?? '';
      v[`opt${j}_labels_${l}`] = o.values.map((x) => x.label[l] ?? '').join(', ');
    }
  });
  doc.variants.forEach((x, i) => {
    v[`v${i}_id`] = x._id.toHexString();
    v[`v${i}_sku`] = x.sku;
    v[`v${i}_price`] = x.price ? decimal(x.price.amount, x.price.currency) : '';
    v[`v${i}_stock`] = String(x.stock);
    v[`v${i}_base`] = String(x.stock);
    v[`v${i}_weight`] = String(x.weight);
    doc.options.slice(0, OPTION_ROWS).forEach((o, j) => (v[`v${i}_o${j}`] = x.options[o.code] ?? ''));
  });
  doc.images.forEach((img, k) => {
    v[`img${k}_id`] = img.mediaId.toHexString();
    v[`img${k}_pos`] = String(k + 1);
    for (const l of LOCALES) v[`img${k}_alt_${l}`] = img.alt[l] ?? '';
  });
  return v;
}

function translated(values: Values, prefix: string): Translated {
  const out: Translated = { en: str(values, `${prefix}_en`).trim() };
  for (const l of LOCALES) {
    const text = str(values, `${prefix}_${l}`).trim();
    if (l !== 'en' && text !== '') out[l] = text;
  }
  return out;
}

function intField(values: Values, name: string, errors: FieldError[], min: number, fallback?: number): number {
  const text = str(values, name).trim();
  if (text === '' && fallback !== undefined) return fallback;
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n) || n < min) {
    errors.push({ field: name, messageKey: 'adminCatalog.error.integer', params: { min } });
    return 0;
  }
  return n;
}

function moneyField(values: Values, name: string, currency: string, errors: FieldError[], required: boolean): Money | undefined {
  const text = str(values, name).trim();
  if (text === '') {
    if (required) errors.push({ field: name, messageKey: 'adminCatalog.error.required' });
    return undefined;
  }
  const m = parseMoneyInput(text, currency);
  if (!m || m.amount < 0) errors.push({ field: name, messageKey: 'adminCatalog.error.price' });
  return m && m.amount >= 0 ? m : undefined;
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseOptions(values: Values, errors: FieldError[]): ProductDoc['options'] {
  const options: ProductDoc['options'] = [];
  for (let j = 0; j < OPTION_ROWS; j++) {
    const code = str(values, `opt${j}_code`).trim();
    const codes = splitList(str(values, `opt${j}_values`));
    if (code === '' && codes.length === 0) continue;
    if (!CODE.test(code) || options.some((o) => o.code === code)) errors.push({ field: `opt${j}_code`, messageKey: 'adminCatalog.error.code' });
    if (codes.length === 0 || codes.some((c) => !CODE.test(c)) || new Set(codes).size !== codes.length) errors.push({ field: `opt${j}_values`, messageKey: 'adminCatalog.error.values' });
    const labels = Object.fromEntries(LOCALES.map((l) => [l, str(values, `opt${j}_labels_${l}`).split(',').map((s) => s.trim())]));
    const name = translated(values, `opt${j}_name`);
    if (name.en === '') name.en = code;
    options.push({
      code, name,
      values: codes.map((c, i) => {
        const label: Translated = { en: labels.en?.[i] || c };
        for (const l of LOCALES) if (l !== 'en' && labels[l]?.[i]) label[l] = labels[l]?.[i] as string;
        return { code: c, label };
      }),
    });
  }
  return options;
}

function parseVariants(values: Values, options: ProductDoc['options'], currency: string, errors: FieldError[]): VariantEdit[] {
  const variants: VariantEdit[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < variantRows(values); i++) {
    const id = str(values, `v${i}_id`);
    const sku = str(values, `v${i}_sku`).trim();
    const removed = str(values, `v${i}_remove`) === 'on';
    const blank = id === '' && sku === '' && str(values, `v${i}_stock`).trim() === '' && str(values, `v${i}_price`).trim() === '';
    if (removed || blank) continue;
    if (!SKU.test(sku)) errors.push({ field: `v${i}_sku`, messageKey: 'adminCatalog.error.sku' });
    else if (seen.has(sku)) errors.push({ field: `v${i}_sku`, messageKey: 'adminCatalog.error.skuTaken', params: { sku } });
    seen.add(sku);
    const chosen: Record<string, string> = {};
    options.forEach((o, j) => {
      const value = str(values, `v${i}_o${j}`).trim();
      if (!o.values.some((x) => x.code === value)) errors.push({ field: `v${i}_o${j}`, messageKey: 'adminCatalog.error.optionValue' });
      else chosen[o.code] = value;
    });
    const price = moneyField(values, `v${i}_price`, currency, errors, false);
    const stock = intField(values, `v${i}_stock`, errors, 0, 0);
    const baseText = str(values, `v${i}_base`);
    variants.push({
      ...(OBJECT_ID.test(id) ? { _id: new ObjectId(id) } : {}), sku, options: chosen, ...(price ? { price } : {}),
      weight: intField(values, `v${i}_weight`, errors, 0, 0), stock, stockBase: baseText === '' ? 0 : Number(baseText) || 0,
    });
  }
  if (variants.length === 0) errors.push({ field: 'v0_sku', messageKey: 'adminCatalog.error.noVariant' });
  return variants;
}

function parseImages(values: Values, errors: FieldError[]): ProductEdit['images'] {
  const rows: { mediaId: ObjectId; alt: Translated; pos: number; k: number }[] = [];
  for (let k = 0; k < imageRows(values); k++) {
    const id = str(values, `img${k}_id`);
    if (!OBJECT_ID.test(id) || str(values, `img${k}_remove`) === 'on') continue;
    const alt = translated(values, `img${k}_alt`);
    if (Object.values(alt).some((a) => a.length > 300)) errors.push({ field: `img${k}_alt_en`, messageKey: 'adminCatalog.error.tooLong', params: { max: 300 } });
    const pos = Number(str(values, `img${k}_pos`));
    rows.push({ mediaId: new ObjectId(id), alt, pos: Number.isFinite(pos) ? pos : k + 1, k });
  }
  // The position field reorders; equal positions keep the current order.
  return rows.sort((a, b) => a.pos - b.pos || a.k - b.k).map(({ mediaId, alt }) => ({ mediaId, alt }));
}

/** Form values → a ProductEdit, or the field errors (ids in the form are `f-<field>`). */
export function parseProductForm(values: Values, currency: string, knownCategories: ReadonlySet<string>, timeZone: string): { edit?: ProductEdit; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = str(values, 'slug').trim();
  if (!isSlug(slug)) errors.push({ field: 'slug', messageKey: 'adminCatalog.error.slug' });
  const title = translated(values, 'title');
  if (title.en === '') errors.push({ field: 'title_en', messageKey: 'adminCatalog.error.required' });
  for (const l of LOCALES) if ((title[l] ?? '').length > 200) errors.push({ field: `title_${l}`, messageKey: 'adminCatalog.error.tooLong', params: { max: 200 } });
  const description = translated(values, 'description');
  const price = moneyField(values, 'price', currency, errors, true);
  const compareAtPrice = moneyField(values, 'compareAtPrice', currency, errors, false);
  if (price && compareAtPrice && compareAtPrice.amount <= price.amount) errors.push({ field: 'compareAtPrice', messageKey: 'adminCatalog.error.compareAt' });
  const status = str(values, 'status');
  if (status !== 'draft' && status !== 'published') errors.push({ field: 'status', messageKey: 'adminCatalog.error.required' });
  const publishText = str(values, 'publishAt').trim();
  const publishAt = publishText === '' ? undefined : fromLocal(publishText, timeZone);
  if (publishText !== '' && !publishAt) errors.push({ field: 'publishAt', messageKey: 'adminCatalog.error.date' });
  const categoryIds = list(values, 'categoryIds');
  if (categoryIds.some((id) => !knownCategories.has(id))) errors.push({ field: 'categoryIds', messageKey: 'adminCatalog.error.category' });
  const tags = splitList(str(values, 'tags'));
  if (tags.length > 30 || tags.some((t) => t.length > 40)) errors.push({ field: 'tags', messageKey: 'adminCatalog.error.tags' });
  const featuredRank = intField(values, 'featuredRank', errors, -1_000_000, 0);
  const options = parseOptions(values, errors);
  const variants = parseVariants(values, options, currency, errors);
  const images = parseImages(values, errors);
  const digitalText = str(values, 'digital_max').trim();
  const digital = str(values, 'digital_remove') === 'on' ? null : digitalText === '' ? undefined : { maxDownloads: intField(values, 'digital_max', errors, 1) };
  if (errors.length > 0 || !price || (status !== 'draft' && status !== 'published')) return { errors };
  return {
    errors,
    edit: {
      slug, title, description, price, ...(compareAtPrice ? { compareAtPrice } : {}), categoryIds: categoryIds.map((id) => new ObjectId(id)),
      tags: [...new Set(tags)], options, status, ...(publishAt ? { publishAt } : {}), featuredRank, images, variants, ...(digital !== undefined ? { digital } : {}),
    },
  };
}

/** Keys a person edits (hidden bookkeeping and stock, an adjustment rather than content, left out). */
function isContentKey(key: string): boolean {
  return !/^(version|fp|rows|imgCount|_csrf|action|v\d+_(base|stock|id)|img\d+_id)$/.test(key);
}

/** Field-by-field: what the user typed vs what is stored now, for the conflict page. */
export function diffValues(mine: Values, current: Values): { field: string; mine: string; current: string }[] {
  const out: { field: string; mine: string; current: string }[] = [];
  const keys = new Set([...Object.keys(mine), ...Object.keys(current)].filter(isContentKey));
  for (const key of [...keys].sort()) {
    const a = list(mine, key).join(', ');
    const b = list(current, key).join(', ');
    if (a.trim() !== b.trim()) out.push({ field: key, mine: a, current: b });
  }
  return out;
}
