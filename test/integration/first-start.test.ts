import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killIfRunning, startChild, waitFor, type Child } from '../fixtures/child-process.js';

/**
 * Issue 3, start: the real entry point (src/server.ts) on an empty data directory, in development,
 * with nothing configured — what `npm start` does on a newcomer's machine after the build. It
 * creates the data directory with the embedded database and a generated secret, seeds the demo
 * shop, prints where it runs and where the data lives, and a second start keeps it all.
 */

let shop: Child | undefined;
afterAll(() => killIfRunning(shop));

const dataDir = join(mkdtempSync(join(tmpdir(), 'vitrine-first-')), 'data');

async function start(port: number): Promise<Child> {
  const child = startChild('src/server.ts', [], {
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Nothing else: no database address, no secret, no base URL.
    MONGODB_URI: undefined,
    SESSION_SECRET: undefined,
    BASE_URL: undefined,
    WEB_CONCURRENCY: undefined,
    LOG_LEVEL: 'warn',
  });
  await waitFor(child, () => child.lines.some((l) => l.includes('Vitrine is running')), 'shop start', 120_000);
  return child;
}

async function stop(child: Child): Promise<number | string> {
  child.process.kill('SIGTERM');
  return child.exited;
}

async function productCards(base: string): Promise<number> {
  const res = await fetch(`${base}/c/clothing`);
  expect(res.status).toBe(200);
  return parse(await res.text()).querySelectorAll('.card-title').length;
}

describe('the first start on an empty machine', () => {
  it('creates the data directory, seeds the demo shop, says where it runs and where the data is; a restart keeps it', async () => {
    expect(existsSync(dataDir)).toBe(false);
    const port = await freePort();
    const base = `http://localhost:${port}`;
    shop = await start(port);
    const banner = shop.lines.join('\n');
    expect(banner).toContain(`Vitrine is running at ${base}`);
    expect(banner).toContain(`data: embedded database in ${join(dataDir, 'db')}`);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['db', 'db.uri']));
    const cards = await productCards(`http://127.0.0.1:${port}`);
    expect(cards).toBeGreaterThan(0);
    const home = parse(await (await fetch(`http://127.0.0.1:${port}/`)).text());
    expect(home.querySelectorAll('a[href^="/p/"]').length).toBeGreaterThan(0);
    expect(await stop(shop)).toBe(0);

    // Second start: the same data, no second seeding, the same generated secret (files unchanged;
    // db.uri, the running shop's address for command-line tools, exists only while it runs).
    const files = readdirSync(dataDir).sort();
    expect(files).not.toContain('db.uri');
    const secrets = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
    shop = await start(port);
    expect(await productCards(`http://127.0.0.1:${port}`)).toBe(cards);
    expect(readdirSync(dataDir).filter((f) => f !== 'db.uri').sort()).toEqual(files);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(secrets);
    expect(await stop(shop)).toBe(0);
  }, 240_000);
});
