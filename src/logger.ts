import { hostname } from 'node:os';
import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
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

interface RawRequestLike {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  ip?: string;
  socket?: { remoteAddress?: string };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Tests pass a stream to read the lines back. */
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
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.bindings ? { base: { pid: process.pid, hostname: hostname(), ...options.bindings } } : {}),
    serializers: {
      req(request: RawRequestLike) {
        return {
          method: request.method,
          url: request.url,
          headers: request.headers,
          remoteAddress: request.ip ?? request.socket?.remoteAddress,
        };
      },
    },
  };
}
