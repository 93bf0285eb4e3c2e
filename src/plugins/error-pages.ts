import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isDatabaseUnavailable, type ErrorStatus } from '../lib/errors.js';
import { isCsrfError } from './csrf.js';

/** Literal keys per status (the i18n test looks for every key in the code). */
const STATUS_TEXT: Readonly<Record<ErrorStatus, { title: string; message: string }>> = {
  400: { title: 'errors.400.title', message: 'errors.400.message' },
  401: { title: 'errors.401.title', message: 'errors.401.message' },
  403: { title: 'errors.403.title', message: 'errors.403.message' },
  404: { title: 'errors.404.title', message: 'errors.404.message' },
  409: { title: 'errors.409.title', message: 'errors.409.message' },
  413: { title: 'errors.413.title', message: 'errors.413.message' },
  415: { title: 'errors.415.title', message: 'errors.415.message' },
  422: { title: 'errors.422.title', message: 'errors.422.message' },
  429: { title: 'errors.429.title', message: 'errors.429.message' },
  500: { title: 'errors.500.title', message: 'errors.500.message' },
  503: { title: 'errors.503.title', message: 'errors.503.message' },
};

function hasPage(status: number): status is ErrorStatus {
  return Object.hasOwn(STATUS_TEXT, status);
}

export interface ErrorClassification {
  /** The response's status code. A 4xx keeps its own, with or without a page of its own. */
  status: number;
  /** Whose title (and default message) the page shows: `status` itself, or 400 for a 4xx without a page. */
  page: ErrorStatus;
  code: string;
  messageKey: string;
  params: Record<string, string | number>;
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/** Any thrown value → the page to show. Pure, so it is tested on its own. */
export function classifyError(error: unknown): ErrorClassification {
  if (error instanceof AppError) {
    const { status } = error;
    return { status, page: status, code: error.code, messageKey: error.messageKey ?? STATUS_TEXT[status].message, params: error.params };
  }
  if (isCsrfError(error)) return { status: 403, page: 403, code: 'CSRF_INVALID', messageKey: 'errors.csrf.message', params: {} };
  if (typeof error === 'object' && error !== null && 'validation' in error && error.validation) {
    // A TypeBox schema rejected params, query or body: the user's input, not our bug.
    return { status: 422, page: 422, code: 'VALIDATION_FAILED', messageKey: STATUS_TEXT[422].message, params: {} };
  }
  if (isDatabaseUnavailable(error)) return { status: 503, page: 503, code: 'DB_UNAVAILABLE', messageKey: STATUS_TEXT[503].message, params: {} };
  const statusCode = statusCodeOf(error);
  if (statusCode !== undefined && Number.isInteger(statusCode) && statusCode >= 400 && statusCode < 500) {
    // Fastify's and its plugins' own errors (body too large 413, unknown content type 415, …): the
    // status is kept; one without a page of its own shows the generic 400 text.
    const page = hasPage(statusCode) ? statusCode : 400;
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'HTTP_' + statusCode;
    return { status: statusCode, page, code, messageKey: STATUS_TEXT[page].message, params: {} };
  }
  return { status: 500, page: 500, code: 'INTERNAL', messageKey: STATUS_TEXT[500].message, params: {} };
}

/** Short id shown on the 500 page and written in the log line, to find one from the other. */
export function newErrorReference(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}

async function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  info: ErrorClassification,
  reference: string | undefined,
): Promise<FastifyReply> {
  const t = request.t;
  const title = t(STATUS_TEXT[info.page].title);
  const message = t(info.messageKey, info.params);
  reply.code(info.status);
  try {
    // No CSRF token (so no language form) on 5xx pages: the session store may be what failed.
    const model: Record<string, unknown> = { title, message, status: info.status, reference };
    if (info.status >= 500) model.csrfToken = () => '';
    return await reply.render('errors/error', model);
  } catch (renderError) {
    // The error page itself failed: a bare page, still translated, still without internals.
    request.log.error({ err: renderError }, 'error page rendering failed');
    reply.header('content-type', 'text/html; charset=utf-8');
    return reply.send(`<!doctype html><html lang="${request.locale}"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${message}</p></html>`);
  }
}

/** The one error handler, set on the root instance (every context inherits it). */
export function setErrorPages(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const info = classifyError(error);
    let reference: string | undefined;
    if (info.status === 500) {
      reference = newErrorReference();
      request.log.error({ err: error, ref: reference }, `unhandled error (ref ${reference})`);
    } else if (info.status === 503) {
      request.log.warn({ err: error, code: info.code }, 'service unavailable');
    } else {
      request.log.info({ code: info.code, status: info.status, message: error.message }, 'request rejected');
    }
    const retryAfter = info.status === 503 ? '5' : undefined;
    if (retryAfter) reply.header('retry-after', retryAfter);
    return sendErrorPage(request, reply, info, reference);
  });
}

/** The 404 page, set on the site context so its hooks (session, CSRF for the footer form) run. */
export function setNotFoundPage(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) =>
    sendErrorPage(request, reply, { status: 404, page: 404, code: 'NOT_FOUND', messageKey: STATUS_TEXT[404].message, params: {} }, undefined),
  );
}
