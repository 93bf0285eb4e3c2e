import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyPluginAsync } from 'fastify';
import type { ModuleContext } from '../types.js';

/**
 * File uploads with plain `<input type=file>` forms (multipart/form-data), accepted only by the
 * routes registered inside `multipartScope`. The site-wide CSRF check runs before a multipart body
 * is parsed, so these routes opt out of it (`config: { csrf: false }`) and run the same check
 * (`csrfAfterParse`) once the fields are read: the token is still required.
 */

export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface UploadBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

const uploads = new WeakMap<FastifyRequest, UploadBody>();

export function uploadOf(request: FastifyRequest): UploadBody {
  return uploads.get(request) ?? { fields: {}, files: {} };
}

interface PartLike {
  type?: unknown;
  value?: unknown;
  filename?: unknown;
  mimetype?: unknown;
  _buf?: unknown;
}

/** The parsed parts → plain fields (the body, with `_csrf`) and files (read by uploadOf). */
function normalise(body: unknown): UploadBody {
  const out: UploadBody = { fields: {}, files: {} };
  if (typeof body !== 'object' || body === null) return out;
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    // A repeated field arrives as an array: the first one counts, like a single-value form field.
    const part = (Array.isArray(raw) ? raw[0] : raw) as PartLike | undefined;
    if (!part || typeof part !== 'object') continue;
    if (part.type === 'file' && Buffer.isBuffer(part._buf)) {
      if (part._buf.length > 0 && typeof part.filename === 'string' && part.filename !== '') {
        out.files[name] = { filename: part.filename, mimetype: String(part.mimetype ?? ''), data: part._buf };
      }
    } else if (typeof part.value === 'string') out.fields[name] = part.value;
  }
  return out;
}

export function csrfAfterParse(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const parsed = normalise(request.body);
    uploads.set(request, parsed);
    request.body = parsed.fields;
    app.csrfProtection(request, reply, done);
  };
}

export function multipartScope(limits: { fileSize: number }, plugin: FastifyPluginAsync<ModuleContext>): FastifyPluginAsync<ModuleContext> {
  return async (app, context) => {
    await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: limits.fileSize, files: 1, fields: 30, parts: 32, fieldSize: 64 * 1024 } });
    await app.register(plugin, context);
  };
}
