import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { LANGUAGE_LABEL_KEYS, LOCALES } from '../../i18n/locales.js';
import type { FieldError } from '../../lib/errors.js';
import type { Translated } from '../catalog/types.js';
import { str, type Values } from '../admin-catalog/product-form.js';

/**
 * Shared by the structure and commerce editors: flat urlencoded forms (`name_pt-BR`, `l2_url`)
 * read as bounded strings, with field errors keyed by the field name (ids are `f-<field>`).
 */

export type { Values };
export { list, str } from '../admin-catalog/product-form.js';

/** Any flat form: bounded names and values, a few repeated fields (checkboxes). */
export const FlatForm = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 300 })]),
  { maxProperties: 600 },
);

export const IndexParams = Type.Object({ index: Type.String({ pattern: '^[0-9]{1,3}$' }) });
export const ObjectIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) });

export function languageNames(request: FastifyRequest): Record<string, string> {
  return Object.fromEntries(LOCALES.map((l) => [l, request.t(LANGUAGE_LABEL_KEYS[l])]));
}

/** `<prefix>_<locale>` fields → a Translated (English required by the caller, others optional). */
export function readTranslated(values: Values, prefix: string, errors: FieldError[], options: { required?: boolean; max?: number } = {}): Translated {
  const max = options.max ?? 200;
  const out: Translated = { en: str(values, `${prefix}_en`).trim() };
  for (const l of LOCALES) {
    const text = str(values, `${prefix}_${l}`).trim();
    if (text.length > max) errors.push({ field: `${prefix}_${l}`, messageKey: 'adminCatalog.error.tooLong', params: { max } });
    if (l !== 'en' && text !== '') out[l] = text;
  }
  if (options.required && out.en === '') errors.push({ field: `${prefix}_en`, messageKey: 'adminCatalog.error.required' });
  return out;
}

/** A Translated → its `<prefix>_<locale>` form values. */
export function translatedValues(text: Translated | undefined, prefix: string): Values {
  return Object.fromEntries(LOCALES.map((l) => [`${prefix}_${l}`, text?.[l] ?? '']));
}

/** A whole number in [min, max]; empty gives `fallback` when there is one. */
export function readInt(values: Values, name: string, errors: FieldError[], min: number, max: number, fallback?: number): number {
  const text = str(values, name).trim();
  if (text === '' && fallback !== undefined) return fallback;
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    errors.push({ field: name, messageKey: 'adminStructure.error.range', params: { min, max } });
    return fallback ?? min;
  }
  return n;
}

/** The expected version a form posted (a missing or garbled one never matches a stored version). */
export function postedVersion(values: Values): number {
  const n = Number(str(values, 'version'));
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}
