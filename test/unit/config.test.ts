import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, persistentDevSecret } from '../../src/config.js';

const SECRET = 'x'.repeat(40);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('gives development defaults with an empty environment', () => {
    const c = parseConfig({}, { cwd: '/srv/shop', devSessionSecret: () => SECRET });
    expect(c).toMatchObject({
      env: 'development',
      isProduction: false,
      port: 3000,
      host: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
      secureCookies: false,
      dataDir: '/srv/shop/data',
      mongodbUri: undefined,
      sessionSecret: SECRET,
      logLevel: 'info',
    });
  });

  it('stops production without SESSION_SECRET and MONGODB_URI, naming both', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).sort()).toEqual(['MONGODB_URI', 'SESSION_SECRET']);
    try {
      parseConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/shop' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('SESSION_SECRET');
      expect(String(error)).not.toContain('MONGODB_URI');
    }
  });

  it('accepts a complete production configuration', () => {
    const c = parseConfig({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb+srv://u:p@cluster.example.net/shop',
      SESSION_SECRET: SECRET,
      BASE_URL: 'https://shop.example.com/',
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'warn',
      SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      TRUST_PROXY: '1',
    });
    expect(c).toMatchObject({ isProduction: true, port: 8080, baseUrl: 'https://shop.example.com', secureCookies: true, logLevel: 'warn', trustProxy: 1 });
  });

  it('rejects malformed values with the variable name', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT']);
    expect(problemsOf({ BASE_URL: 'ftp://x' })).toEqual(['BASE_URL']);
    expect(problemsOf({ MONGODB_URI: 'postgres://x' })).toEqual(['MONGODB_URI']);
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual(['SESSION_SECRET']);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual(['LOG_LEVEL']);
    expect(problemsOf({ NODE_ENV: 'staging' })).toEqual(['NODE_ENV']);
    expect(problemsOf({ SMTP_URL: 'mail.example.com' })).toEqual(['SMTP_URL']);
    expect(problemsOf({ TRUST_PROXY: 'yes please!' })).toEqual(['TRUST_PROXY']);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', MONGODB_URI: '  ' }, { devSessionSecret: () => SECRET })).toMatchObject({ port: 3000, mongodbUri: undefined });
  });

  it('generates a development secret once and keeps it in DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-config-'));
    const first = persistentDevSecret(dir);
    const second = persistentDevSecret(dir);
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({ sessionSecret: first });
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const config = parseConfig({ DATA_DIR: dir }, { devSessionSecret: persistentDevSecret });
    expect(config.sessionSecret).toBe(first);
  });
});
