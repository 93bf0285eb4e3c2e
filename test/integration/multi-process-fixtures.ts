import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse, type HTMLElement } from 'node-html-parser';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { connectDatabase } from '../../src/db/client.js';
import { SEEDS_COLLECTION, seeders } from '../../src/seed/index.js';
import { encodeForm, formFields, type FormValues } from '../helpers/agent.js';

/**
 * The real entry point (src/server.ts) as child processes, and a cookie-keeping HTTP client, for
 * the several-processes tests.
 */

const SERVER = join(process.cwd(), 'src/server.ts');

/**
 * A data directory whose embedded database says every seeder already ran: the demo shop takes
 * ~15 s to create, and these tests make their own data.
 */
export async function preparedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-multi-'));
  const server = await startEmbeddedMongo({ dbPath: join(dataDir, 'db') });
  const database = await connectDatabase(server.uri);
  try {
    const ranAt = new Date();
    await database.db.collection<{ _id: string; ranAt: Date }>(SEEDS_COLLECTION).insertMany(seeders.map((s) => ({ _id: s.name, ranAt })));
  } finally {
    await database.close();
    await server.stop();
  }
  return dataDir;
}

export interface ShopProcess {
  child: ChildProcess;
  base: string;
  /** JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Plain (non-JSON) stdout lines so far: the start banner. */
  text: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];

/** Starts `src/server.ts`; resolves once `listeners` servers logged "Server listening" (one per worker). */
export function startShop(env: Record<string, string>, listeners = 1): Promise<ShopProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    // BASE_URL: vitest sets it to "/" for Vite; the shop needs an absolute one.
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', BASE_URL: 'http://127.0.0.1:3000', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const logs: Record<string, unknown>[] = [];
  const text: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shop did not start: ${stderr}`)), 40_000);
    void exited.then(({ code }) => reject(new Error(`shop exited (${String(code)}): ${stderr}`)));
    let listening = 0;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        text.push(line);
        return;
      }
      logs.push(parsed);
      const address = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(String(parsed.msg))?.[1];
      if (address !== undefined && ++listening === listeners) {
        clearTimeout(timer);
        resolve({ child, base: address, logs, text, exited });
      }
    });
  });
}

/** Kills whatever a test left running (afterAll). */
export function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface HttpPage {
  status: number;
  location: string | undefined;
  body: string;
  html(): HTMLElement;
}

/** A browser-ish client over real HTTP: a cookie jar that may be shared by two sites, no redirects followed. */
export class HttpAgent {
  constructor(readonly jar = new Map<string, string>()) {}

  async request(url: string, form?: FormValues): Promise<HttpPage> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: encodeForm(form) } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(header)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const body = await response.text();
    let root: HTMLElement | undefined;
    return { status: response.status, location: response.headers.get('location') ?? undefined, body, html: () => (root ??= parse(body)) };
  }

  /** Submits the form of `page` (fetched from `base`) with its current values overridden by `values`. */
  async submit(base: string, page: HttpPage, selector: string, values: FormValues = {}): Promise<HttpPage> {
    const form = page.html().querySelector(selector);
    if (!form) throw new Error(`no form matches ${selector}`);
    const fields = formFields(form);
    for (const [name, value] of Object.entries(values)) fields.set(name, typeof value === 'string' ? [value] : [...value]);
    const action = form.getAttribute('action');
    if (!action) throw new Error(`form ${selector} has no action`);
    return this.request(base + action, Object.fromEntries(fields));
  }
}
