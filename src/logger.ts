import { hostname } from 'node:os';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Everything that may carry a secret, wherever it appears in a log object. Fastify's request
 * serializer below logs headers, so cookies and credentials must be censored here, once.
 */
const SECRET_FIELDS = [
  'password',
  'passwordConfirm',
  'currentPassword',
  'newPassword',
  'emailPassword',
  'deletePassword',
  'token',
  '_csrf',
  'secret',
  'totpCode',
  'recoveryCode',
];

export const REDACT_PATHS: string[] = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'cookies',
  'req.cookies',
];

const SECRETS = new Set(SECRET_FIELDS);
const CENSOR = '[Redacted]';

function isContainer(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  // Plain data: {} or a dictionary (Object.create(null), or a prototype made from it, as the
  // form-body parser does). Class instances keep their own serializers.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}

/**
 * A log object with every SECRET_FIELDS value replaced, at any depth ≤ 2 (plain objects and arrays;
 * class instances such as the request go through their serializers). Copies only what it changes.
 * Done here rather than with pino `redact` wildcards (`*.password`): those are applied to every
 * value pino stringifies, including each request's child-logger bindings, even when nothing is logged.
 */
export function censorSecrets<T extends object>(object: T, depth = 2): T {
  let copy: Record<string, unknown> | undefined;
  const source = object as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const value = source[key];
    const next = SECRETS.has(key) ? CENSOR : depth > 0 && isContainer(value) ? censorSecrets(value, depth - 1) : value;
    if (next !== value) (copy ??= Array.isArray(source) ? ([...(source as unknown[])] as unknown as Record<string, unknown>) : { ...source })[key] = next;
  }
  return (copy ?? object) as T;
}

/** Query parameters and route parameters whose value is a credential (signed links, reset tokens). */
const SECRET_URL_PARAMS = new Set(['sig', 'token', '_csrf', 'secret']);
const SECRET_QUERY = /[?&](?:sig|token|_csrf|secret)=/;

/**
 * The URL as it may be logged: the values of SECRET_URL_PARAMS replaced, in the query string and in
 * the path when the route names one as a parameter (`/reset-password/:token`). A signed order or
 * download link and a password-reset link are credentials: whoever reads the log could use them.
 */
export function loggableUrl(url: string, params?: unknown): string {
  let out = url;
  if (params !== null && typeof params === 'object') {
    for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
      if (!SECRET_URL_PARAMS.has(name) || typeof value !== 'string' || value === '') continue;
      const q = out.indexOf('?');
      const path = q === -1 ? out : out.slice(0, q);
      const replaced = path.split('/').map((segment) => (safeDecode(segment) === value ? CENSOR : segment)).join('/');
      out = replaced + (q === -1 ? '' : out.slice(q));
    }
  }
  const q = out.indexOf('?');
  if (q === -1 || !SECRET_QUERY.test(out.slice(q))) return out;
  const query = out
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq !== -1 && SECRET_URL_PARAMS.has(safeDecode(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${CENSOR}` : pair;
    })
    .join('&');
  return `${out.slice(0, q)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface RawRequestLike {
  method?: string;
  url?: string;
  params?: unknown;
  headers?: Record<string, unknown>;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The longest an info line waits in the buffer (bufferedDestination). */
export const LOG_FLUSH_MS = 100;
const LOG_BUFFER_BYTES = 4096;

/**
 * Where log lines go in production: stdout (or a file) written synchronously like pino's default,
 * but info and debug lines are gathered for at most LOG_FLUSH_MS (or 4 KiB) and written together.
 * One write system call per line cost about a tenth of a cached page's time, more than anything
 * else in it. Warnings and errors are written at once, with what waits before them; the rest
 * is written on exit (an uncaught error included). Only a killed process (SIGKILL) loses lines:
 * the info lines of its last 100 ms.
 */
export function bufferedDestination(dest: string | number = 1): DestinationStream {
  const out = pino.destination({ dest, sync: true });
  let pending: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    out.write(text); // synchronous (sonic-boom retries a busy pipe)
  };
  process.once('exit', flush);
  return {
    write(line: string): void {
      pending.push(line);
      size += line.length;
      // pino's lines begin with {"level":NN: 40 and above (warn, error, fatal) go out now.
      if (size >= LOG_BUFFER_BYTES || !line.startsWith('{"level":') || line.charCodeAt(9) >= 0x34) flush();
      else timer ??= setTimeout(flush, LOG_FLUSH_MS).unref();
    },
  };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Tests pass a stream to read the lines back; default: stdout through bufferedDestination. */
  stream?: DestinationStream;
  /** Fields on every line besides pid and hostname, e.g. { worker: 2 } in a cluster worker. */
  bindings?: Record<string, string | number>;
}

/** Fastify's `logger` option: pino with redaction and a request serializer that keeps useful headers. */
export function loggerOptions(options: LoggerOptions): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: { log: (object: Record<string, unknown>) => censorSecrets(object) },
    stream: options.stream ?? bufferedDestination(),
    ...(options.bindings ? { base: { pid: process.pid, hostname: hostname(), ...options.bindings } } : {}),
    serializers: {
      req(request: RawRequestLike) {
        return {
          method: request.method,
          url: request.url === undefined ? undefined : loggableUrl(request.url, request.params),
          headers: request.headers,
          remoteAddress: request.ip ?? request.socket?.remoteAddress,
        };
      },
    },
  };
}

/**
 * One access-log line per request, written when the response is finished: method, url, status,
 * response time and client address, with the request id and the logger's bindings — flat fields,
 * so neither the request serializer nor the redaction runs for it (credentials in the URL are
 * censored by loggableUrl). Fastify's own pair ("incoming
 * request" with the headers, then "request completed") costs two lines per request, a third of a
 * cached page's time; the incoming line is kept at debug level (LOG_LEVEL=debug shows it). Errors
 * keep Fastify's full line (request with redacted headers, error, time).
 */
export class AccessLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    request.log.info(
      { method: request.method, url: loggableUrl(request.url, request.params), statusCode: reply.statusCode, responseTime: reply.elapsedTime, remoteAddress: request.ip },
      'request completed',
    );
  }
}
