import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import dotenv from 'dotenv';

/**
 * The environment, read and validated once. This file and server.ts are the only readers of
 * process.env; everything else receives a Config.
 */

export type NodeEnv = 'development' | 'production' | 'test';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  env: NodeEnv;
  isProduction: boolean;
  port: number;
  host: string;
  /** Public URL of the shop, without a trailing slash. */
  baseUrl: string;
  /** True when baseUrl is https: cookies get the Secure flag and HSTS is sent. */
  secureCookies: boolean;
  /** Absolute path: embedded database (dataDir/db), generated secrets, db.uri. */
  dataDir: string;
  /** Unset → the embedded database is used. */
  mongodbUri: string | undefined;
  sessionSecret: string;
  logLevel: LogLevel;
  smtpUrl: string | undefined;
  /**
   * Fastify's trustProxy: behind a reverse proxy that terminates TLS, the shop must trust its
   * X-Forwarded-* headers, or it sees plain http and never sends Secure session cookies.
   * false | true | a hop count | a comma-separated list of addresses/CIDRs.
   */
  trustProxy: boolean | number | string;
  /** App processes `npm start` runs (node:cluster) against one database; 1 = no cluster. */
  webConcurrency: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export interface ParseOptions {
  /**
   * Where a development secret comes from when SESSION_SECRET is unset (outside production).
   * Default: a random one for this process only (tests).
   */
  devSessionSecret?: (dataDir: string) => string;
  /** Base for a relative DATA_DIR. Default: the current directory. */
  cwd?: string;
}

const MIN_SECRET_LENGTH = 32;
const MAX_WEB_CONCURRENCY = 64;

/** Pure: environment in, Config out, or a ConfigError naming every bad variable. */
export function parseConfig(env: Env, options: ParseOptions = {}): Config {
  const problems: { variable: string; message: string }[] = [];
  const bad = (variable: string, message: string): void => {
    problems.push({ variable, message });
  };
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const nodeEnvRaw = value('NODE_ENV') ?? 'development';
  let nodeEnv: NodeEnv = 'development';
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'production' || nodeEnvRaw === 'test') nodeEnv = nodeEnvRaw;
  else bad('NODE_ENV', `must be development, production or test (got "${nodeEnvRaw}")`);
  const isProduction = nodeEnv === 'production';

  const portRaw = value('PORT') ?? '3000';
  let port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) {
    bad('PORT', `must be a port number 0-65535 (got "${portRaw}")`);
    port = 3000; // only so that the checks below do not report a second, derived problem
  }

  const host = value('HOST') ?? '127.0.0.1';

  const baseUrlRaw = value('BASE_URL') ?? `http://localhost:${port}`;
  let baseUrl = baseUrlRaw;
  let secureCookies = false;
  try {
    const u = new URL(baseUrlRaw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    baseUrl = u.href.replace(/\/+$/, '');
    secureCookies = u.protocol === 'https:';
  } catch {
    bad('BASE_URL', `must be an http(s) URL such as https://shop.example.com (got "${baseUrlRaw}")`);
  }

  const dataDir = resolve(options.cwd ?? process.cwd(), value('DATA_DIR') ?? 'data');

  const mongodbUri = value('MONGODB_URI');
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    bad('MONGODB_URI', 'must start with mongodb:// or mongodb+srv://');
  } else if (mongodbUri === undefined && isProduction) {
    bad('MONGODB_URI', 'is required when NODE_ENV=production (the embedded database is for development)');
  }

  let sessionSecret = value('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < MIN_SECRET_LENGTH) {
    bad('SESSION_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -hex 32)`);
  } else if (sessionSecret === undefined) {
    if (isProduction) bad('SESSION_SECRET', 'is required when NODE_ENV=production (try: openssl rand -hex 32)');
    else sessionSecret = (options.devSessionSecret ?? randomSecret)(dataDir);
  }

  const defaultLevel: LogLevel = nodeEnv === 'test' ? 'silent' : 'info';
  const logLevelRaw = value('LOG_LEVEL') ?? defaultLevel;
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (logLevel === undefined) bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  const smtpUrl = value('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/]/.test(smtpUrl)) {
    bad('SMTP_URL', 'must look like smtp://user:pass@host:587 or smtps://host:465');
  }

  const trustRaw = value('TRUST_PROXY') ?? 'false';
  let trustProxy: boolean | number | string = trustRaw;
  if (trustRaw === 'true' || trustRaw === 'false') trustProxy = trustRaw === 'true';
  else if (/^\d+$/.test(trustRaw)) trustProxy = Number(trustRaw);
  else if (!/^[\w.:/,\s-]+$/.test(trustRaw)) bad('TRUST_PROXY', 'must be true, false, a hop count or a list of proxy addresses');

  const concurrencyRaw = value('WEB_CONCURRENCY') ?? '1';
  const webConcurrency = Number(concurrencyRaw);
  if (!/^\d+$/.test(concurrencyRaw) || webConcurrency < 1 || webConcurrency > MAX_WEB_CONCURRENCY) {
    bad('WEB_CONCURRENCY', `must be a number of processes from 1 to ${MAX_WEB_CONCURRENCY} (got "${concurrencyRaw}")`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: nodeEnv,
    isProduction,
    port,
    host,
    baseUrl,
    secureCookies,
    dataDir,
    mongodbUri,
    sessionSecret: sessionSecret ?? '',
    logLevel: logLevel ?? defaultLevel,
    smtpUrl,
    trustProxy,
    webConcurrency,
  };
}

function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Generated once and kept in DATA_DIR/secrets.json so sessions survive restarts in development. */
export function persistentDevSecret(dataDir: string): string {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'sessionSecret' in parsed) {
      const s = parsed.sessionSecret;
      if (typeof s === 'string' && s.length >= MIN_SECRET_LENGTH) return s;
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomSecret();
  writeFileSync(file, JSON.stringify({ sessionSecret: secret }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** process.env, completed by ./.env (real environment variables win), validated. */
export function loadConfig(): Config {
  const env: Record<string, string | undefined> = { ...process.env };
  dotenv.config({ quiet: true, processEnv: env as Record<string, string> });
  return parseConfig(env, { devSessionSecret: persistentDevSecret });
}

/** True when the CI variable says we run in continuous integration (tests use it to make skips fail). */
export function isCi(env: Env = process.env): boolean {
  const v = env.CI?.toLowerCase();
  return v === 'true' || v === '1';
}

/** libuv's thread pool size (UV_THREADPOOL_SIZE, read by Node itself at start; default 4). */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}
