import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../../lib/errors.js';
import type { CategoryDoc } from '../catalog/types.js';

/**
 * What the editor templates need about errors: a message per field (shown beside it, linked with
 * aria-describedby) and the ordered list for the summary at the top (each links to `#f-<field>`).
 */
export function errorModel(request: FastifyRequest, errors: readonly FieldError[]): { byField: Record<string, string>; list: { field: string; message: string }[] } {
  const byField: Record<string, string> = {};
  const list: { field: string; message: string }[] = [];
  for (const e of errors) {
    if (e.field in byField) continue;
    const message = request.t(e.messageKey, e.params);
    byField[e.field] = message;
    list.push({ field: e.field, message });
  }
  return { byField, list };
}

/** Categories in tree order with their depth (for indented checkboxes and selects). */
export function categoryChoices(categories: readonly CategoryDoc[]): { id: string; name: string; depth: number; status: string }[] {
  const children = new Map<string, CategoryDoc[]>();
  for (const c of categories) {
    const key = c.parentId?.toHexString() ?? '';
    children.set(key, [...(children.get(key) ?? []), c]);
  }
  const out: { id: string; name: string; depth: number; status: string }[] = [];
  const walk = (parent: string, depth: number): void => {
    for (const c of (children.get(parent) ?? []).sort((a, b) => a.sortOrder - b.sortOrder || a.slug.localeCompare(b.slug))) {
      out.push({ id: c._id.toHexString(), name: c.name.en, depth, status: c.status });
      if (depth < 3) walk(c._id.toHexString(), depth + 1);
    }
  };
  walk('', 0);
  return out;
}
