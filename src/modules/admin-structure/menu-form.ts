import { ObjectId } from 'mongodb';
import { LOCALES } from '../../i18n/locales.js';
import type { FieldError } from '../../lib/errors.js';
import { isSafeLinkTarget } from '../../lib/markdown.js';
import type { MenuLink } from '../cms/types.js';
import { readTranslated, str, translatedValues, type Values } from './form.js';

/**
 * The menu editor form: one row per link (`l<i>_kind`, `l<i>_category`, `l<i>_page`, `l<i>_url`,
 * `l<i>_label_<locale>`) and a blank row at the end to add one. The buttons post `op`: `save`,
 * `up:<i>`, `down:<i>`, `remove:<i>` — each applied to the rows as posted, then saved.
 */

export const MAX_LINKS = 30;
const KINDS = ['category', 'page', 'url'] as const;

export function menuValues(links: readonly MenuLink[]): Values {
  const v: Values = { count: String(links.length + 1) };
  links.forEach((link, i) => {
    v[`l${i}_kind`] = link.kind;
    if (link.kind === 'category') v[`l${i}_category`] = link.categoryId.toHexString();
    if (link.kind === 'page') v[`l${i}_page`] = link.pageId.toHexString();
    if (link.kind === 'url') v[`l${i}_url`] = link.url;
    Object.assign(v, translatedValues(link.label, `l${i}_label`));
  });
  return v;
}

export function rowCount(values: Values): number {
  const n = Number(str(values, 'count'));
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_LINKS + 1) : 1;
}

/** Rows → links (with the row each came from), or field errors. Blank rows are left out. */
export function parseMenu(values: Values, known: { categories: ReadonlySet<string>; pages: ReadonlySet<string> }): { links: { row: number; link: MenuLink }[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const links: { row: number; link: MenuLink }[] = [];
  for (let i = 0; i < rowCount(values); i++) {
    const kind = str(values, `l${i}_kind`);
    if (kind === '') continue;
    if (!(KINDS as readonly string[]).includes(kind)) {
      errors.push({ field: `l${i}_kind`, messageKey: 'adminStructure.menu.error.kind' });
      continue;
    }
    const labelErrors: FieldError[] = [];
    const label = readTranslated(values, `l${i}_label`, labelErrors, { required: kind === 'url', max: 60 });
    errors.push(...labelErrors);
    const hasLabel = LOCALES.some((l) => (label[l] ?? '') !== '');
    if (kind === 'category') {
      const id = str(values, `l${i}_category`);
      if (!known.categories.has(id)) errors.push({ field: `l${i}_category`, messageKey: 'adminStructure.menu.error.category' });
      else links.push({ row: i, link: { kind, categoryId: new ObjectId(id), ...(hasLabel && label.en !== '' ? { label } : {}) } });
    } else if (kind === 'page') {
      const id = str(values, `l${i}_page`);
      if (!known.pages.has(id)) errors.push({ field: `l${i}_page`, messageKey: 'adminStructure.menu.error.page' });
      else links.push({ row: i, link: { kind, pageId: new ObjectId(id), ...(hasLabel && label.en !== '' ? { label } : {}) } });
    } else {
      const url = str(values, `l${i}_url`).trim();
      // Same rule as Markdown links: relative, http(s) or mailto only — never javascript: or data:.
      if (url === '' || url.length > 500 || !isSafeLinkTarget(url)) errors.push({ field: `l${i}_url`, messageKey: 'adminStructure.menu.error.url' });
      else if (labelErrors.length === 0) links.push({ row: i, link: { kind: 'url', url, label } });
    }
  }
  if (links.length > MAX_LINKS) errors.push({ field: '_form', messageKey: 'adminStructure.menu.error.tooMany', params: { max: MAX_LINKS } });
  return { links, errors };
}

/** Applies a move or removal button to the parsed links. */
export function applyOp<T>(op: string, links: readonly { row: number; link: T }[]): T[] {
  const out = [...links];
  const match = /^(up|down|remove):(\d+)$/.exec(op);
  if (match) {
    const at = out.findIndex((l) => l.row === Number(match[2]));
    if (at >= 0 && match[1] === 'remove') out.splice(at, 1);
    const to = match[1] === 'up' ? at - 1 : at + 1;
    if (at >= 0 && match[1] !== 'remove' && to >= 0 && to < out.length) [out[at], out[to]] = [out[to] as (typeof out)[number], out[at] as (typeof out)[number]];
  }
  return out.map((l) => l.link);
}
