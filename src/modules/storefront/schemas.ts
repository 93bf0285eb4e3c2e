import { Type, type Static } from '@sinclair/typebox';
import { SORTS } from '../catalog/service.js';

const Short = Type.String({ maxLength: 80 });
/** Option choices arrive as `o_<code>=<value>`, once or repeated; anything else is ignored. */
const Extra = { additionalProperties: Type.Union([Short, Type.Array(Short, { maxItems: 40 })]) };
const Lang = Type.Optional(Type.String({ maxLength: 10 }));
const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 }));

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 120 }) });
export type SlugParams = Static<typeof SlugParams>;

export const CategoryQuery = Type.Object(
  {
    sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))),
    page: Page,
    min: Type.Optional(Type.String({ maxLength: 20 })),
    max: Type.Optional(Type.String({ maxLength: 20 })),
    stock: Type.Optional(Type.Literal('1')),
    lang: Lang,
  },
  Extra,
);
export type CategoryQuery = Static<typeof CategoryQuery>;

export const ProductQuery = Type.Object({ lang: Lang }, Extra);
export type ProductQuery = Static<typeof ProductQuery>;

export const SearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), page: Page, lang: Lang });
export type SearchQuery = Static<typeof SearchQuery>;

export const LangQuery = Type.Object({ lang: Lang });

export const OPTION_PREFIX = 'o_';

/** `o_size=m&o_size=l` → { size: ['m', 'l'] }, only for the option codes the page knows. */
export function optionChoices(query: Record<string, unknown>, codes: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const code of codes) {
    const raw = query[OPTION_PREFIX + code];
    const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    if (values.length > 0) out[code] = [...new Set(values)];
  }
  return out;
}
