import type { ProductDoc, Translated } from './types.js';

export interface FacetOption {
  code: string;
  name: Translated;
  values: { code: string; label: Translated }[];
}

export interface Facets {
  options: FacetOption[];
  /** Lowest and highest product price (minor units), for the price fields' hints. */
  minPrice: number | undefined;
  maxPrice: number | undefined;
  /** Currency of the listed prices (for parsing the price filter). */
  currency: string | undefined;
}

/** Merges the options of the products of a category, keeping only values some variant uses. */
export function buildFacets(products: readonly Pick<ProductDoc, 'options' | 'variants' | 'minPrice' | 'price'>[]): Facets {
  const options = new Map<string, FacetOption>();
  const used = new Set<string>();
  let minPrice: number | undefined;
  let maxPrice: number | undefined;
  let currency: string | undefined;
  for (const p of products) {
    currency ??= p.price.currency;
    minPrice = minPrice === undefined ? p.minPrice : Math.min(minPrice, p.minPrice);
    maxPrice = maxPrice === undefined ? p.minPrice : Math.max(maxPrice, p.minPrice);
    for (const v of p.variants) for (const [code, value] of Object.entries(v.options)) used.add(`${code}\u0000${value}`);
    for (const o of p.options) {
      const merged = options.get(o.code) ?? { code: o.code, name: o.name, values: [] };
      for (const value of o.values) if (!merged.values.some((m) => m.code === value.code)) merged.values.push(value);
      options.set(o.code, merged);
    }
  }
  const result = [...options.values()]
    .map((o) => ({ ...o, values: o.values.filter((v) => used.has(`${o.code}\u0000${v.code}`)) }))
    .filter((o) => o.values.length > 0);
  return { options: result, minPrice, maxPrice, currency };
}
