import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { isCi } from '../../src/config.js';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/**
 * Whether the e2e suite can run. Without Chromium it is skipped — loudly — except in CI (CI=true),
 * where a missing browser is a failure. Use: `describe.skipIf(!browserAvailable())(...)`.
 */
export function browserAvailable(path = CHROMIUM_PATH, ci = isCi()): boolean {
  if (existsSync(path)) return true;
  if (ci) throw new Error(`Chromium is required in CI for the e2e tests but ${path} does not exist`);
  console.warn(`\n${'!'.repeat(72)}\n!! E2E TESTS SKIPPED: no Chromium at ${path} (apt install chromium)\n${'!'.repeat(72)}\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface ListeningApp extends TestApp {
  baseUrl: string;
}

/** The test app on a real port (127.0.0.1, any free port), for the browser. */
export async function startListeningApp(options: TestAppOptions = {}): Promise<ListeningApp> {
  const t = await createTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The app is not listening on a TCP port');
  return { ...t, baseUrl: `http://127.0.0.1:${address.port}` };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

export interface ShopInBrowser {
  readonly app: ListeningApp;
  readonly browser: Browser;
}

/**
 * For a describe block: the test app listening on a real port and one Chromium, started before its
 * tests (then `ready`, e.g. to seed data) and closed after them.
 */
export function useShopInBrowser(ready?: (app: ListeningApp) => Promise<void>): ShopInBrowser {
  let app: ListeningApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startListeningApp();
    browser = await launchBrowser();
    await ready?.(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return {
    get app(): ListeningApp {
      if (!app) throw new Error('the app is started in beforeAll');
      return app;
    },
    get browser(): Browser {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
  };
}
