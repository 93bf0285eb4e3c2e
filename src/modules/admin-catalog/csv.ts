import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LOCALES } from '../../i18n/locales.js';
import type { ProductDoc } from '../catalog/types.js';
import { decimal } from './product-form.js';

/**
 * The product CSV: one row per variant (the SKU is the key of an import), product columns repeated
 * on each of its rows. Lists use "|" (tags, category slugs) and "code=value;code=value" (options).
 */
export const CSV_COLUMNS = [
  'sku', 'slug', 'status',
  ...LOCALES.map((l) => `title_${l}`),
  ...LOCALES.map((l) => `description_${l}`),
  'price', 'compare_at_price', 'variant_price', 'stock', 'weight', 'tags', 'categories', 'options',
] as const;

export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

export function csvHeader(): string {
  return stringify([[...CSV_COLUMNS]]);
}

/** The CSV lines of one product (one per variant). */
export function productCsv(doc: ProductDoc, categorySlugs: ReadonlyMap<string, string>): string {
  const currency = doc.price.currency;
  const rows = doc.variants.map((v) => {
    const row: Record<string, string> = {
      sku: v.sku, slug: doc.slug, status: doc.status, price: decimal(doc.price.amount, currency),
      compare_at_price: doc.compareAtPrice ? decimal(doc.compareAtPrice.amount, currency) : '',
      variant_price: v.price ? decimal(v.price.amount, currency) : '', stock: String(v.stock), weight: String(v.weight),
      tags: doc.tags.join('|'),
      categories: doc.categoryIds.flatMap((id) => categorySlugs.get(id.toHexString()) ?? []).join('|'),
      options: Object.entries(v.options).map(([k, x]) => `${k}=${x}`).join(';'),
    };
    for (const l of LOCALES) {
      row[`title_${l}`] = doc.title[l] ?? '';
      row[`description_${l}`] = doc.description[l] ?? '';
    }
    // A leading = + - @ would run as a formula in a spreadsheet: prefix it so it stays text.
    return CSV_COLUMNS.map((c) => (/^[=+\-@]/.test(row[c] ?? '') && c !== 'price' ? `'${row[c]}` : row[c] ?? ''));
  });
  return stringify(rows);
}

export type CsvParse = { rows: Record<string, string>[] } | { errorKey: string; params?: Record<string, string | number> };

/** Parses an uploaded file: header row required, known columns only, at most MAX_IMPORT_ROWS. */
export function parseProductCsv(buffer: Buffer): CsvParse {
  let records: string[][];
  try {
    records = parse(buffer, { bom: true, skip_empty_lines: true, relax_column_count: false, max_record_size: 64 * 1024 }) as string[][];
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 0;
    return { errorKey: 'adminCatalog.import.badFile', params: { line } };
  }
  const [header, ...body] = records;
  if (!header || !header.includes('sku')) return { errorKey: 'adminCatalog.import.noSku' };
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) return { errorKey: 'adminCatalog.import.unknownColumns', params: { columns: unknown.join(', ') } };
  if (body.length === 0) return { errorKey: 'adminCatalog.import.empty' };
  if (body.length > MAX_IMPORT_ROWS) return { errorKey: 'adminCatalog.import.tooMany', params: { max: MAX_IMPORT_ROWS } };
  return { rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()]))) };
}
