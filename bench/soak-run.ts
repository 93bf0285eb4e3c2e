/**
 * One soak run: the embedded database in its own process (in memory), the shop in another
 * (bench/soak-server.ts, --expose-gc), the workload (bench/soak-workload.ts) in this one. Every
 * interval: the shop's RSS, heap used and heap after a forced GC, and the window's req/s, p99 and
 * errors. Used by `npm run soak` (bench/soak.ts) and by test/integration/soak.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { ObjectId } from 'mongodb';
import { parseConfig } from '../src/config.js';
import { connectDatabase, type Database } from '../src/db/client.js';
import type { ProductDoc } from '../src/modules/catalog/types.js';
import { runSeeders, seeders } from '../src/seed/index.js';
import { createServices } from '../src/services.js';
import { insertProduct } from '../test/fixtures/shop-data.js';
import { Recorder, runWorkload, type WorkloadData, type WorkloadShape } from './soak-workload.js';

export interface SoakOptions {
  seconds: number;
  intervalMs: number;
  shape: WorkloadShape;
  /** 'demo': the full demo shop (≈ 15 s to seed); 'small': a few products, for the test. */
  data: 'demo' | 'small';
  onSample?: (sample: SoakSample) => void;
}

export interface SoakSample {
  t: number;
  rssMb: number;
  heapMb: number;
  heapAfterGcMb: number;
  rps: number;
  p99: number;
  errors: number;
  orders: number;
  adminEdits: number;
}

export interface SoakResult {
  samples: SoakSample[];
  totals: Recorder['totals'];
  errorKinds: Record<string, number>;
}

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

function startDbProcess(): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/embedded/cli.ts', '--in-memory', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`database exited (${String(code)})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('mongodb://')) resolve({ child, uri: line.trim() });
    });
  });
}

interface ShopProcess {
  child: ChildProcess;
  port: number;
  sample(): Promise<{ rss: number; heapUsed: number; heapAfterGc: number }>;
}

function startShopProcess(env: Record<string, string>): Promise<ShopProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/soak-server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: ((s: { rss: number; heapUsed: number; heapAfterGc: number }) => void) | undefined;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`shop exited (${String(code)})`)));
    child.on('message', (message: unknown) => {
      const m = message as { listening?: number; sample?: { rss: number; heapUsed: number; heapAfterGc: number } };
      if (typeof m.listening === 'number') {
        resolve({
          child,
          port: m.listening,
          sample: () =>
            new Promise((done) => {
              waiting = done;
              child.send('sample');
            }),
        });
      } else if (m.sample && waiting) {
        waiting(m.sample);
        waiting = undefined;
      }
    });
  });
}

/** Seeds the database and finds what the workload needs; creates the admin. */
async function prepare(database: Database, uri: string, data: SoakOptions['data']): Promise<WorkloadData> {
  const db = database.db;
  const config = parseConfig({ NODE_ENV: 'test', MONGODB_URI: uri, SESSION_SECRET: randomBytes(32).toString('hex') });
  const services = createServices({ db });
  const list = data === 'demo' ? seeders : seeders.filter((s) => s.name !== 'demo-shop');
  await runSeeders({ db, services, config, log: () => undefined }, { seeders: list });
  if (data === 'small') {
    for (const title of ['Soak lamp', 'Soak chair', 'Soak table', 'Soak mug', 'Soak rug']) await insertProduct(db, { title, variants: [{ stock: 1 }, { stock: 1 }] });
  }
  // Enough stock for any run: the soak is about memory and latency, not about selling out.
  await db.collection('products').updateMany({}, { $set: { 'variants.$[].stock': 10_000_000, inStock: true } });

  const products = await db.collection<ProductDoc>('products').find({ status: 'published' }).project<Pick<ProductDoc, '_id' | 'slug' | 'title' | 'variants'>>({ slug: 1, title: 1, variants: 1 }).toArray();
  const [edited, ...sold] = products;
  if (!edited || sold.length === 0) throw new Error('soak: no products');
  const categories = await db.collection('categories').find({ status: 'published' }, { projection: { slug: 1 } }).limit(20).toArray();
  const email = `soak-admin-${randomBytes(4).toString('hex')}@example.com`;
  const password = randomBytes(16).toString('hex');
  await services.accounts.register({ email, password, name: 'Soak admin', locale: 'en' });
  await db.collection('users').updateOne({ email }, { $set: { role: 'admin' } });
  const words = [...new Set(sold.flatMap((p) => (p.title.en ?? '').toLowerCase().split(/\W+/)).filter((w) => w.length > 3))].slice(0, 12);
  return {
    categoryPaths: categories.map((c) => `/c/${String(c.slug)}`),
    productPaths: sold.slice(0, 30).map((p) => `/p/${p.slug}`),
    variantIds: sold.slice(0, 30).flatMap((p) => p.variants.map((v) => new ObjectId(v._id).toHexString())).slice(0, 60),
    searchWords: words.length > 0 ? words : ['soak'],
    admin: { email, password, productId: edited._id.toHexString() },
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const db = await startDbProcess();
  let shop: ShopProcess | undefined;
  let database: Database | undefined;
  try {
    database = await connectDatabase(db.uri);
    const data = await prepare(database, db.uri, options.data);
    shop = await startShopProcess({ MONGODB_URI: db.uri, SESSION_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1' });
    const base = `http://127.0.0.1:${shop.port}`;

    const recorder = new Recorder();
    let stopping = false;
    const workload = runWorkload(base, data, options.shape, recorder, () => stopping);
    const samples: SoakSample[] = [];
    const start = performance.now();
    let last = start;
    while (performance.now() - start < options.seconds * 1000) {
      await new Promise((r) => setTimeout(r, Math.min(options.intervalMs, start + options.seconds * 1000 - performance.now())));
      const window = recorder.take();
      const now = performance.now();
      const memory = await shop.sample();
      const sample: SoakSample = {
        t: Math.round((now - start) / 1000),
        rssMb: round1(memory.rss / MB),
        heapMb: round1(memory.heapUsed / MB),
        heapAfterGcMb: round1(memory.heapAfterGc / MB),
        rps: Math.round(window.requests / ((now - last) / 1000)),
        p99: Math.round(window.p99),
        errors: window.errors,
        orders: window.orders,
        adminEdits: window.adminEdits,
      };
      last = now;
      samples.push(sample);
      options.onSample?.(sample);
    }
    stopping = true;
    await workload;
    return { samples, totals: recorder.totals, errorKinds: Object.fromEntries(recorder.errorKinds) };
  } finally {
    if (shop) {
      const exited = new Promise((r) => shop?.child.once('exit', r));
      shop.child.send('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (shop.child.exitCode === null) shop.child.kill('SIGKILL');
    }
    await database?.close();
    db.child.kill('SIGTERM');
  }
}
