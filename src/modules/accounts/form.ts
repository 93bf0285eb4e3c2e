import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../lib/errors.js';

/**
 * Forms of the accounts pages. Routes validate with `attachValidation: true` so that a schema
 * failure (a field sent as an object or an array, too long, missing) re-renders the form with a
 * message beside the field (422) instead of a bare error page.
 */

interface AjvErrorLike {
  keyword?: string;
  instancePath?: string;
  params?: Record<string, unknown>;
}

/** The string values of a parsed body; anything else (arrays, objects) reads as empty. */
export function stringFields(body: unknown, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const source = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const name of names) {
    const v = source[name];
    values[name] = typeof v === 'string' ? v : '';
  }
  return values;
}

/** Schema errors → per-field messages; a field it cannot name becomes a form-level error. */
export function schemaFieldErrors(request: FastifyRequest): FieldError[] {
  const error = request.validationError as (Error & { validation?: AjvErrorLike[] }) | undefined;
  if (!error) return [];
  const out: FieldError[] = [];
  for (const e of error.validation ?? []) {
    const missing = e.params?.missingProperty;
    const field = typeof missing === 'string' ? missing : (e.instancePath ?? '').replace(/^\//, '').split('/')[0] ?? '';
    if (field === '' || out.some((o) => o.field === field)) continue;
    if (e.keyword === 'required') out.push({ field, messageKey: 'accounts.field.required' });
    else if (e.keyword === 'maxLength') out.push({ field, messageKey: 'accounts.field.tooLong', params: { max: Number(e.params?.limit ?? 0) } });
    else out.push({ field, messageKey: 'accounts.field.invalid' });
  }
  return out.length > 0 ? out : [{ field: '_form', messageKey: 'accounts.form.invalid' }];
}

/** Field name → translated message, for the templates. */
export function translateErrors(request: FastifyRequest, errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] ??= request.t(e.messageKey, e.params);
  return out;
}

export async function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  model: { title: string; values: Record<string, string>; errors?: readonly FieldError[] } & Record<string, unknown>,
  status = 422,
): Promise<FastifyReply> {
  const errors = translateErrors(request, model.errors ?? []);
  reply.code(Object.keys(errors).length > 0 ? status : 200);
  return reply.render(template, { ...model, errors });
}
