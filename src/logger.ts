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
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

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
}

/** Fastify's `logger` option: pino with redaction and a request serializer that keeps useful headers. */
export function loggerOptions(options: LoggerOptions): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    ...(options.stream ? { stream: options.stream } : {}),
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
