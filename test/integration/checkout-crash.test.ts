import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ObjectId } from 'mongodb';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/**
 * The app process is SIGKILLed while it places orders under load; the database (here, in the test
 * process) survives. After a restart: every order the client was told about exists, stock + sold =
 * initial stock for every variant, and the start-up reconciliation logged what it repaired.
 */

const FIXTURE = join(process.cwd(), 'test/fixtures/crash-shop-server.ts');
const INITIAL_STOCK = 12;
const SHOPPERS = 45;

interface Shop {
  child: ChildProcess;
  base: string;
  logs: Record<string, unknown>[];
}

let testDb: TestDb;
// BASE_URL: vitest sets it to "/" for Vite; the shop needs an absolute one.
const env = { SESSION_SECRET: 'crash-'.repeat(8), LOG_LEVEL: 'info', BASE_URL: 'http://127.0.0.1:3000', DATA_DIR: mkdtempSync(join(tmpdir(), 'vitrine-crash-')) };
const running: ChildProcess[] = [];

function startShop(): Promise<Shop> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...env, MONGODB_URI: testDb.uri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shop did not start: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`shop exited (${String(code)}): ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof parsed.listening === 'number') {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${parsed.listening}`, logs });
      } else {
        logs.push(parsed);
      }
    });
  });
}

/** A browser-ish client over real HTTP: a cookie jar, no redirect following. */
class Client {
  private readonly jar = new Map<string, string>();
  constructor(public base: string) {}
  async request(path: string, form?: Record<string, string>): Promise<{ status: number; location: string; body: string }> {
    const response = await fetch(this.base + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: response.status, location: response.headers.get('location') ?? '', body: await response.text() };
  }
}

/** One shopper: a cart with one or two lines, every step answered; returns the place-order form. */
async function prepare(base: string, n: number, variants: ObjectId[]): Promise<{ client: Client; form: Record<string, string> }> {
  const client = new Client(base);
  const csrf = parse((await client.request('/login')).body).querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  const post = async (path: string, values: Record<string, string>) => {
    const r = await client.request(path, { ...values, _csrf: csrf });
    if (r.status !== 303) throw new Error(`${path}: ${r.status}`);
  };
  await post('/cart/add', { variantId: variants[n % 3]?.toHexString() ?? '', qty: '1' });
  if (n % 2 === 0) await post('/cart/add', { variantId: variants[(n + 1) % 3]?.toHexString() ?? '', qty: '1' });
  await post('/checkout/contact', { email: `crash${n}@example.com` });
  await post('/checkout/address', { fullName: `Buyer ${n}`, line1: 'Rua Augusta 10', line2: '', city: 'Lisboa', region: '', postalCode: '1100-148', country: 'PT', phone: '' });
  await post('/checkout/shipping', { method: 'standard' });
  await post('/checkout/discount', { action: 'skip' });
  const token = parse((await client.request('/checkout/review')).body).querySelector('form.place-form input[name=token]')?.getAttribute('value');
  if (!token) throw new Error('no review token');
  return { client, form: { _csrf: csrf, token, paymentMethod: 'bank_transfer' } };
}

beforeAll(async () => {
  testDb = await startTestDb();
});
afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await testDb?.close();
});

describe('SIGKILL while placing orders', () => {
  it('after a restart: told orders exist, stock + sold = initial, the reconciliation logs its repairs', async () => {
    const db = testDb.database.db;
    const products = await Promise.all([0, 1, 2].map(() => insertProduct(db, { variants: [{ stock: INITIAL_STOCK }] })));
    const variants = products.map((p) => p.variants[0]?._id ?? new ObjectId());

    const first = await startShop();
    const shoppers = [];
    for (let batch = 0; batch < SHOPPERS; batch += 15) {
      shoppers.push(...(await Promise.all(Array.from({ length: 15 }, (_, i) => prepare(first.base, batch + i, variants)))));
    }

    // Everyone presses "Place order"; the process dies once a few confirmations have come back.
    const told: { id: string; client: Client }[] = [];
    let killed = false;
    let killing = false;
    const outcomes = await Promise.allSettled(
      shoppers.map(async ({ client, form }) => {
        const r = await client.request('/checkout/place', form);
        const id = /^\/checkout\/done\/([0-9a-f]{24})$/.exec(r.location)?.[1];
        if (id && !killed) {
          told.push({ id, client });
          if (told.length >= 3 && !killing) {
            killing = true;
            // Die while at least one placement is half-done (its order is still "placing").
            for (let i = 0; i < 400 && (await db.collection<OrderDoc>('orders').countDocuments({ status: 'placing' })) === 0; i++) {
              await new Promise((r) => setTimeout(r, 2));
            }
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
        return r.status;
      }),
    );
    expect(killed).toBe(true);
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true); // requests cut off by the kill
    // Counted once the database has settled (it may still be answering what the killed process sent
    // just before it died) and the dead process's placement lease (1.5 s) is over: then restart.
    await new Promise((r) => setTimeout(r, 2000));
    const placingAtDeath = await db.collection<OrderDoc>('orders').countDocuments({ status: 'placing' });
    expect(placingAtDeath).toBeGreaterThan(0);
    // Reservations the dead process left open (a placement may die before it reserved anything).
    const ledgers = await db.collection<{ stockLedger?: unknown[] }>('products').find({ _id: { $in: products.map((p) => p._id) } }).toArray();
    const openAtDeath = ledgers.reduce((n, doc) => n + (doc.stockLedger?.length ?? 0), 0);

    const second = await startShop();
    const repaired = second.logs.find((l) => l.msg === 'reconciliation repaired interrupted work');
    expect(repaired).toBeDefined();
    const report = repaired?.reconciliation as { abandonedOrders: string[]; releasedReservations: number; settledReservations: number };
    expect(report.abandonedOrders.length).toBe(placingAtDeath);
    // Each open reservation is either released (its order never got placed) or settled (it did).
    expect(report.releasedReservations + report.settledReservations).toBe(openAtDeath);

    // Every order the client was told about exists, placed, and its confirmation page still opens.
    const orders = await db.collection<OrderDoc>('orders').find({}).toArray();
    for (const { id } of told) expect(orders.find((o) => o._id.equals(new ObjectId(id)))?.status).toBe('pending_payment');
    const survivor = told[0];
    if (!survivor) throw new Error('nobody was told');
    survivor.client.base = second.base;
    expect((await survivor.client.request(`/checkout/done/${survivor.id}`)).status).toBe(200);

    // Nothing is left half-done, and no unit was lost or sold twice.
    expect(orders.filter((o) => o.status === 'placing')).toEqual([]);
    const placed = orders.filter((o) => o.status === 'pending_payment');
    for (const product of products) {
      const doc = await db.collection<ProductDoc & { stockLedger?: unknown[] }>('products').findOne({ _id: product._id });
      const stock = doc?.variants[0]?.stock ?? -1;
      const sold = placed.flatMap((o) => o.lines).filter((l) => l.productId.equals(product._id)).reduce((n, l) => n + l.qty, 0);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock + sold).toBe(INITIAL_STOCK);
      expect(doc?.stockLedger ?? []).toEqual([]);
    }
    second.child.kill('SIGTERM');
  }, 90_000);
});
