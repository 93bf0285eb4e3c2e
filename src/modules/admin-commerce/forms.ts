import type { FieldError } from '../../lib/errors.js';
import { parseMoneyInput } from '../../lib/money.js';
import { offsetMs } from '../admin/timezone.js';
import { decimal } from '../admin-catalog/product-form.js';
import type { DiscountDoc, DiscountEdit } from '../checkout/discounts.js';
import type { ShippingMethod, TaxRate } from '../checkout/settings.js';
import { list, readInt, readTranslated, str, translatedValues, type Values } from '../admin-structure/form.js';

/** The commerce editors' forms: form values ↔ shipping methods, tax rates, discount codes. */

const COUNTRY = /^[A-Z]{2}$/;
const METHOD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CODE = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;
const PERCENT = /^\d{1,3}(?:[.,]\d{1,2})?$/;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
export const BLANK_TAX_ROWS = 2;
export const MAX_TAX_ROWS = 100;

export function readMoney(values: Values, name: string, currency: string, errors: FieldError[], options: { required?: boolean; positive?: boolean } = {}): number | null {
  const text = str(values, name).trim();
  if (text === '') {
    if (options.required) errors.push({ field: name, messageKey: 'adminCatalog.error.required' });
    return null;
  }
  const m = parseMoneyInput(text, currency);
  if (!m || m.amount < 0 || (options.positive && m.amount === 0) || m.amount > 1_000_000_000) {
    errors.push({ field: name, messageKey: 'adminCatalog.error.price' });
    return null;
  }
  return m.amount;
}

/** "PT, es fr" → ["PT", "ES", "FR"] or an error on `field`. */
export function readCountries(text: string, field: string, errors: FieldError[]): string[] {
  const codes = [...new Set(text.toUpperCase().split(/[\s,;]+/).filter((c) => c !== ''))];
  if (codes.length === 0 || codes.length > 250 || codes.some((c) => !COUNTRY.test(c))) errors.push({ field, messageKey: 'adminCommerce.error.countries' });
  return codes;
}

export function shippingValues(m: ShippingMethod, currency: string): Values {
  return {
    id: m.id, kind: m.kind, amount: decimal(m.amount, currency), freeAbove: m.freeAbove === null ? '' : decimal(m.freeAbove, currency),
    countries: m.countries, ...translatedValues(m.name, 'name'),
  };
}

export function parseShipping(values: Values, ctx: { currency: string; served: readonly string[]; existingIds: readonly string[]; id?: string }): { method?: ShippingMethod; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const id = ctx.id ?? str(values, 'id').trim();
  if (ctx.id === undefined && (!METHOD_ID.test(id) || id.length > 40)) errors.push({ field: 'id', messageKey: 'adminCommerce.shipping.error.id' });
  else if (ctx.id === undefined && ctx.existingIds.includes(id)) errors.push({ field: 'id', messageKey: 'adminCommerce.shipping.error.idTaken' });
  const kind = str(values, 'kind');
  if (kind !== 'flat' && kind !== 'pickup') errors.push({ field: 'kind', messageKey: 'adminCatalog.error.required' });
  const name = readTranslated(values, 'name', errors, { required: true, max: 80 });
  const amount = kind === 'pickup' ? 0 : readMoney(values, 'amount', ctx.currency, errors, { required: true });
  const freeAbove = kind === 'pickup' ? null : readMoney(values, 'freeAbove', ctx.currency, errors);
  const countries = list(values, 'countries');
  if (countries.length === 0 || countries.some((c) => !ctx.served.includes(c))) errors.push({ field: 'countries', messageKey: 'adminCommerce.shipping.error.countries' });
  if (errors.length > 0 || (kind !== 'flat' && kind !== 'pickup') || amount === null) return { errors };
  return { errors, method: { id, kind, name, amount, freeAbove, countries: [...new Set(countries)] } };
}

export function taxValues(rates: readonly TaxRate[], pricesIncludeTax: boolean): Values {
  const v: Values = { pricesIncludeTax: pricesIncludeTax ? 'inclusive' : 'exclusive', rows: String(rates.length + BLANK_TAX_ROWS) };
  rates.forEach((r, i) => {
    v[`r${i}_country`] = r.country;
    v[`r${i}_rate`] = (r.rateBp / 100).toFixed(2).replace(/\.?0+$/, '');
    Object.assign(v, translatedValues(r.label, `r${i}_label`));
  });
  return v;
}

export function taxRows(values: Values): number {
  const n = Number(str(values, 'rows'));
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_TAX_ROWS) : BLANK_TAX_ROWS;
}

export function parseTaxes(values: Values): { change?: { taxRates: TaxRate[]; pricesIncludeTax: boolean }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const mode = str(values, 'pricesIncludeTax');
  if (mode !== 'inclusive' && mode !== 'exclusive') errors.push({ field: 'pricesIncludeTax', messageKey: 'adminCatalog.error.required' });
  const taxRates: TaxRate[] = [];
  for (let i = 0; i < taxRows(values); i++) {
    const country = str(values, `r${i}_country`).trim().toUpperCase();
    const rate = str(values, `r${i}_rate`).trim();
    if (str(values, `r${i}_remove`) === 'on' || (country === '' && rate === '' && str(values, `r${i}_label_en`).trim() === '')) continue;
    if (!COUNTRY.test(country)) errors.push({ field: `r${i}_country`, messageKey: 'adminCommerce.error.country' });
    else if (taxRates.some((r) => r.country === country)) errors.push({ field: `r${i}_country`, messageKey: 'adminCommerce.tax.error.duplicate', params: { country } });
    const pct = Number(rate.replace(',', '.'));
    if (!PERCENT.test(rate) || pct > 100) errors.push({ field: `r${i}_rate`, messageKey: 'adminCommerce.tax.error.rate' });
    const label = readTranslated(values, `r${i}_label`, errors, { required: true, max: 60 });
    taxRates.push({ country, rateBp: Math.round(pct * 100), label });
  }
  if (errors.length > 0 || (mode !== 'inclusive' && mode !== 'exclusive')) return { errors };
  return { errors, change: { taxRates, pricesIncludeTax: mode === 'inclusive' } };
}

/** "2025-06-01T09:00" in the shop's time zone ↔ a Date. */
export function fromLocal(text: string, timeZone: string): Date | undefined {
  if (!LOCAL_TIME.test(text)) return undefined;
  const guess = new Date(`${text}:00Z`);
  if (Number.isNaN(guess.getTime())) return undefined;
  return new Date(guess.getTime() - offsetMs(guess, timeZone));
}
export function toLocal(date: Date | null, timeZone: string): string {
  return date ? new Date(date.getTime() + offsetMs(date, timeZone)).toISOString().slice(0, 16) : '';
}

export function discountValues(d: DiscountDoc, currency: string, timeZone: string): Values {
  return {
    code: d.code, kind: d.kind, value: d.kind === 'percentage' ? (d.value / 100).toFixed(2).replace(/\.?0+$/, '') : decimal(d.value, currency),
    minOrder: d.minOrder > 0 ? decimal(d.minOrder, currency) : '', startsAt: toLocal(d.startsAt, timeZone), endsAt: toLocal(d.endsAt, timeZone),
    usageLimit: d.usageLimit === null ? '' : String(d.usageLimit), perCustomerLimit: d.perCustomerLimit === null ? '' : String(d.perCustomerLimit),
    active: d.active ? 'on' : '', version: String(d.version ?? 1),
  };
}

export function parseDiscount(values: Values, currency: string, timeZone: string): { edit?: DiscountEdit; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const code = str(values, 'code').trim().toUpperCase();
  if (!CODE.test(code)) errors.push({ field: 'code', messageKey: 'adminCommerce.discount.error.code' });
  const kind = str(values, 'kind');
  if (kind !== 'percentage' && kind !== 'fixed') errors.push({ field: 'kind', messageKey: 'adminCatalog.error.required' });
  let value = 0;
  const valueText = str(values, 'value').trim();
  if (kind === 'percentage') {
    const pct = Number(valueText.replace(',', '.'));
    if (!PERCENT.test(valueText) || pct <= 0 || pct > 100) errors.push({ field: 'value', messageKey: 'adminCommerce.discount.error.percent' });
    else value = Math.round(pct * 100);
  } else if (kind === 'fixed') value = readMoney(values, 'value', currency, errors, { required: true, positive: true }) ?? 0;
  const minOrder = readMoney(values, 'minOrder', currency, errors) ?? 0;
  const dates: Record<'startsAt' | 'endsAt', Date | null> = { startsAt: null, endsAt: null };
  for (const name of ['startsAt', 'endsAt'] as const) {
    const text = str(values, name).trim();
    const date = text === '' ? null : (fromLocal(text, timeZone) ?? null);
    if (text !== '' && !date) errors.push({ field: name, messageKey: 'adminCatalog.error.date' });
    dates[name] = date;
  }
  if (dates.startsAt && dates.endsAt && dates.endsAt <= dates.startsAt) errors.push({ field: 'endsAt', messageKey: 'adminCommerce.discount.error.endsBeforeStart' });
  const limit = (name: string): number | null => (str(values, name).trim() === '' ? null : readInt(values, name, errors, 1, 10_000_000));
  const usageLimit = limit('usageLimit');
  const perCustomerLimit = limit('perCustomerLimit');
  if (errors.length > 0 || (kind !== 'percentage' && kind !== 'fixed')) return { errors };
  return { errors, edit: { code, kind, value, minOrder, startsAt: dates.startsAt, endsAt: dates.endsAt, usageLimit, perCustomerLimit, active: str(values, 'active') === 'on' } };
}
