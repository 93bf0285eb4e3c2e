import { ObjectId } from 'mongodb';
import type { FieldError } from '../../lib/errors.js';
import { isSafeLinkTarget } from '../../lib/markdown.js';
import type { ProductRefs } from '../catalog/product-refs.js';
import type { HomeSectionInput } from '../cms/service.js';
import type { HomeSection } from '../cms/types.js';
import { list, readTranslated, str, translatedValues, type Values } from './form.js';

/** The home section editor: one form per section kind, flat field names, parsed here. */

export const SECTION_KINDS = ['hero', 'featuredCategories', 'featuredProducts', 'richText'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];
export const MAX_SECTIONS = 20;

export function isSectionKind(value: unknown): value is SectionKind {
  return typeof value === 'string' && (SECTION_KINDS as readonly string[]).includes(value);
}

/** Stored section → what the editor saves back (rich text keeps only its Markdown). */
export function asInput(s: HomeSection): HomeSectionInput {
  return s.kind === 'richText' ? { kind: 'richText', markdown: s.markdown } : s;
}

export function sectionValues(s: HomeSection, slugs: ReadonlyMap<string, string>): Values {
  const v: Values = { kind: s.kind };
  if (s.kind === 'hero') {
    Object.assign(v, translatedValues(s.heading, 'heading'), translatedValues(s.text, 'text'), translatedValues(s.link?.label, 'linkLabel'));
    v.linkUrl = s.link?.url ?? '';
  } else if (s.kind === 'featuredCategories') {
    Object.assign(v, translatedValues(s.heading, 'heading'));
    v.categoryIds = s.categoryIds.map((id) => id.toHexString());
  } else if (s.kind === 'featuredProducts') {
    Object.assign(v, translatedValues(s.heading, 'heading'));
    v.products = s.productIds.map((id) => slugs.get(id.toHexString()) ?? id.toHexString()).join('\n');
  } else Object.assign(v, translatedValues(s.markdown, 'markdown'));
  return v;
}

/** A short description of a section for the list. */
export function sectionSummary(s: HomeSection): string {
  if (s.kind === 'richText') return s.markdown.en.replace(/\s+/g, ' ').slice(0, 80);
  return s.heading.en;
}

export interface ParseContext {
  kind: SectionKind;
  /** The section being edited (its image is kept unless removed). */
  current: HomeSection | null;
  categories: ReadonlySet<string>;
  products: ProductRefs;
}

export async function parseSection(values: Values, ctx: ParseContext): Promise<{ section?: HomeSectionInput; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  if (ctx.kind === 'richText') {
    const markdown = readTranslated(values, 'markdown', errors, { required: true, max: 20_000 });
    return errors.length > 0 ? { errors } : { errors, section: { kind: 'richText', markdown } };
  }
  const heading = readTranslated(values, 'heading', errors, { required: true, max: 120 });
  if (ctx.kind === 'hero') {
    const text = readTranslated(values, 'text', errors, { max: 500 });
    const url = str(values, 'linkUrl').trim();
    const labelErrors: FieldError[] = [];
    const label = readTranslated(values, 'linkLabel', labelErrors, { required: url !== '', max: 60 });
    errors.push(...labelErrors);
    if (url !== '' && (url.length > 500 || !isSafeLinkTarget(url))) errors.push({ field: 'linkUrl', messageKey: 'adminStructure.menu.error.url' });
    const keepImage = ctx.current?.kind === 'hero' && ctx.current.imageId && str(values, 'removeImage') !== 'on' ? ctx.current.imageId : undefined;
    if (errors.length > 0) return { errors };
    return { errors, section: { kind: 'hero', heading, text, ...(keepImage ? { imageId: keepImage } : {}), ...(url !== '' ? { link: { url, label } } : {}) } };
  }
  if (ctx.kind === 'featuredCategories') {
    const ids = list(values, 'categoryIds');
    if (ids.length === 0 || ids.some((id) => !ctx.categories.has(id))) errors.push({ field: 'categoryIds', messageKey: 'adminStructure.home.error.categories' });
    if (errors.length > 0) return { errors };
    return { errors, section: { kind: 'featuredCategories', heading, categoryIds: [...new Set(ids)].map((id) => new ObjectId(id)) } };
  }
  const refs = str(values, 'products').split(/[\s,]+/).map((r) => r.trim()).filter((r) => r !== '');
  if (refs.length === 0 || refs.length > 24) errors.push({ field: 'products', messageKey: 'adminStructure.home.error.productCount', params: { max: 24 } });
  const { ids, unknown } = await ctx.products.resolve(refs.slice(0, 24));
  if (unknown.length > 0) errors.push({ field: 'products', messageKey: 'adminStructure.home.error.unknownProducts', params: { refs: unknown.join(', ') } });
  if (errors.length > 0) return { errors };
  return { errors, section: { kind: 'featuredProducts', heading, productIds: ids } };
}
