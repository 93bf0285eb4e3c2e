import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest, FastifyPluginAsync } from 'fastify';
import { BadRequestError } from '../../lib/errors.js';
import { csrfFailure } from '../../plugins/csrf.js';
import type { ModuleContext } from '../types.js';
import { formatMegabytes } from '../../lib/format.js';

/**
 * File uploads with plain `<input type=file>` forms (multipart/form-data), accepted only by the
 * routes registered inside `multipartScope`. The site-wide CSRF check runs before a multipart body
 * is parsed, so these routes opt out of it (`config: { csrf: false }`) and run the same check
 * (`csrfAfterParse`) once the fields are read: the token is still required.
 *
 * A file over the scope's size limit is answered by the scope itself (`multipartScope`), the same
 * way for every upload route: 413 with a translated message naming the limit. Nothing is stored:
 * the route handler never runs.
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

/** A parsing failure with a 4xx status of its own (size/count limits, a `__proto__` field name) stays as it is. */
function hasClientStatus(error: unknown): boolean {
  const status = typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Reads every part: plain fields (the body, with `_csrf`) and non-empty files (read by uploadOf).
 * A repeated field or file: the first one counts, like a single-value form field. Busboy reports a
 * body it cannot parse (cut short, no or wrong boundary, broken part headers) as a bare Error with
 * no status; that is the sender's fault, so it becomes a 400, never a 500.
 */
async function readParts(request: FastifyRequest): Promise<UploadBody> {
  const out: UploadBody = { fields: {}, files: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (data.length > 0 && part.filename !== '' && !(part.fieldname in out.files)) {
          out.files[part.fieldname] = { filename: part.filename, mimetype: part.mimetype, data };
        }
      } else if (typeof part.value === 'string' && !(part.fieldname in out.fields)) {
        out.fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (hasClientStatus(error)) throw error;
    throw new BadRequestError('Malformed multipart body', { cause: error });
  }
  return out;
}

export function csrfAfterParse(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  // Not multipart (a urlencoded post to an upload route): no fields, so the CSRF check refuses it.
  const reading = request.isMultipart() ? readParts(request) : Promise.resolve<UploadBody>({ fields: {}, files: {} });
  reading.then(
    (parsed) => {
      uploads.set(request, parsed);
      request.body = parsed.fields;
      done(csrfFailure(request));
    },
    (error: unknown) => done(error instanceof Error ? error : new BadRequestError('Malformed multipart body')),
  );
}

export interface MultipartLimits {
  /** The most bytes one file may have. */
  fileSize: number;
  /**
   * How this form shows a file over the limit (status 413 already set), e.g. the form again with the
   * message at the file field. Without it: the translated error page.
   */
  tooLarge?: (request: FastifyRequest, reply: FastifyReply, message: string) => Promise<FastifyReply>;
}

/** @fastify/multipart's RequestFileTooLargeError, thrown while a file is read (toBuffer in readParts). */
function isFileTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE';
}

export function multipartScope(limits: MultipartLimits, plugin: FastifyPluginAsync<ModuleContext>): FastifyPluginAsync<ModuleContext> {
  return async (app, context) => {
    await app.register(multipart, { limits: { fileSize: limits.fileSize, files: 1, fields: 30, parts: 32, fieldSize: 64 * 1024 } });
    // Only the oversized file is answered here; any other error goes on to the site's error handler
    // (src/plugins/error-pages.ts), as a throw from a scoped handler does in Fastify.
    app.setErrorHandler(async (error, request, reply) => {
      if (!isFileTooLarge(error)) throw error;
      request.log.info({ code: 'FST_REQ_FILE_TOO_LARGE', status: 413, limit: limits.fileSize }, 'request rejected');
      const message = request.t('adminCatalog.upload.tooLarge', { size: formatMegabytes(limits.fileSize, request.locale) });
      reply.code(413);
      if (limits.tooLarge) return limits.tooLarge(request, reply, message);
      return reply.render('errors/error', { title: request.t('adminCatalog.upload.tooLargeTitle'), message, status: 413, reference: undefined });
    });
    await app.register(plugin, context);
  };
}
