/**
 * Typed errors with stable codes. Services throw these; the one error handler
 * (src/plugins/error-pages.ts) maps them to a status and a translated page.
 * `code` is stable (logs, tests, later an API); `messageKey` is the translation key shown to the user.
 */

/** A status with a translated page of its own (PAGE_STATUSES). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** Statuses that have their own translated page (views/errors/error.eta, keys errors.<status>.*). */
export const PAGE_STATUSES: readonly ErrorStatus[] = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];

export interface AppErrorOptions {
  /** Translation key of the message shown on the page; default `errors.<status>.message`. */
  messageKey?: string;
  params?: Record<string, string | number>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly messageKey: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.messageKey = options.messageKey;
    this.params = options.params ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(message = 'Bad request', options?: AppErrorOptions) {
    super(400, 'BAD_REQUEST', message, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', options?: AppErrorOptions) {
    super(401, 'UNAUTHORIZED', message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden', options?: AppErrorOptions) {
    super(403, 'FORBIDDEN', message, options);
  }
}

export class CsrfError extends AppError {
  constructor(message = 'Missing or invalid CSRF token') {
    super(403, 'CSRF_INVALID', message, { messageKey: 'errors.csrf.message' });
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', options?: AppErrorOptions) {
    super(404, 'NOT_FOUND', message, options);
  }
}

export class ConflictError extends AppError {
  constructor(message = 'Conflict', options?: AppErrorOptions) {
    super(409, 'CONFLICT', message, options);
  }
}

export interface FieldError {
  field: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

/** Invalid input the user can fix; carries per-field messages for a form re-render. */
export class ValidationError extends AppError {
  constructor(
    readonly fields: readonly FieldError[] = [],
    message = 'Validation failed',
    options?: AppErrorOptions,
  ) {
    super(422, 'VALIDATION_FAILED', message, options);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message = 'Too many requests', options?: AppErrorOptions) {
    super(429, 'RATE_LIMITED', message, options);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'Service unavailable', options?: AppErrorOptions) {
    super(503, 'UNAVAILABLE', message, options);
  }
}

/** Driver errors that mean "the database cannot be reached right now" (→ 503, not 500). */
const UNAVAILABLE_DRIVER_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  'MongoClientClosedError',
]);

/**
 * Socket errors the driver lets through unwrapped: writing a command on a connection the server
 * has just closed surfaces as Node's plain `EPIPE` Error ("This socket has been ended by the
 * other party"), not a MongoNetworkError. The shop opens no other sockets while serving a page.
 */
const UNAVAILABLE_SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNAVAILABLE_DRIVER_ERRORS.has(e.name)) return true;
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  }
  return false;
}
