import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ObjectId } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/client.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { createServices, type Services } from '../../src/services.js';
import { freePort, killIfRunning, startChild, waitFor, type Child } from '../fixtures/child-process.js';
import { sleep } from '../fixtures/load-loop.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { ShopClient, StepError } from '../fixtures/shop-client.js';
import { testConfig } from '../helpers/test-app.js';

/**
 * Issue 8, faults: the embedded database runs as its own process (src/db/embedded/cli.ts, data on
 * disk) under the whole shop; customers register, fill carts and place orders over HTTP; the
 * database is SIGKILLed mid-load and restarted on the same data and port. Afterwards every
 * registration and order the client was told about (303 to /account, 303 to the confirmation)
 * exists, and for every variant stock + sold = initial once the reconciliation has run.
 */

const CUSTOMERS = 8;
const INITIAL_STOCK = 60;
const LEASE_MS = 1500;
const PASSWORD = 'correct horse battery staple';

const dbPath = mkdtempSync(join(tmpdir(), 'vitrine-dbkill-'));
let db: Child | undefined;
let database: Database | undefined;
let app: FastifyInstance | undefined;

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  killIfRunning(db);
});

async function startDb(port: number): Promise<{ child: Child; uri: string }> {
  const child = startChild('src/db/embedded/cli.ts', ['--dbpath', dbPath, '--port', String(port)], {});
  await waitFor(child, () => child.lines.some((l) => l.startsWith('mongodb://')), 'embedded database start');
  return { child, uri: child.lines.find((l) => l.startsWith('mongodb://')) ?? '' };
}

interface Told {
  registrations: string[];
  orders: { id: string; at: number }[];
  failures: Map<string, number>;
}

/** One customer after the other: register, one or two lines in the cart, checkout, place. */
async function customerLoop(base: string, w: number, variants: string[], told: Told, stopped: () => boolean, now: () => number): Promise<void> {
  for (let n = 0; !stopped(); n++) {
    const client = new ShopClient(base, 8000);
    const email = `kill-${w}-${n}-${new ObjectId().toHexString().slice(-6)}@example.com`;
    try {
      await client.register(email, PASSWORD, `Customer ${w}.${n}`);
      told.registrations.push(email);
      await client.addToCart(variants[(w + n) % variants.length] ?? '', 1);
      if (n % 2 === 0) await client.addToCart(variants[(w + n + 1) % variants.length] ?? '', 2);
      const id = await client.checkout(email, `Customer ${w}.${n}`);
      told.orders.push({ id, at: now() });
    } catch (error) {
      if (!(error instanceof StepError)) throw error;
      const key = `${error.step.replace(/[0-9a-f]{24}/g, ':id')} → ${error.status ?? 'no response'}`;
      told.failures.set(key, (told.failures.get(key) ?? 0) + 1);
      await sleep(100);
    }
  }
}

describe('embedded database SIGKILLed under load', () => {
  it('keeps every acknowledged registration and order; stock + sold = initial', async () => {
    const port = await freePort();
    const first = await startDb(port);
    db = first.child;
    database = await connectDatabase(first.uri, { serverSelectionTimeoutMS: 1500 });
    const services: Services = createServices({ db: database.db, shop: { leaseMs: LEASE_MS } });
    const products: ProductDoc[] = [];
    for (let i = 0; i < 3; i++) products.push(await insertProduct(database.db, { variants: [{ stock: INITIAL_STOCK }] }));
    const variants = products.map((p) => p.variants[0]?._id.toHexString() ?? '');

    app = await buildApp(testConfig({ LOG_LEVEL: 'silent' }), { database, services });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });

    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const told: Told = { registrations: [], orders: [], failures: new Map() };
    let stopping = false;
    const loops = Array.from({ length: CUSTOMERS }, (_, w) => customerLoop(base, w, variants, told, () => stopping, now));

    // Kill the database once a few orders have been confirmed, while the others are mid-way.
    for (let i = 0; i < 200 && told.orders.length < 4; i++) await sleep(50);
    const ordersBeforeKill = told.orders.length;
    db.process.kill('SIGKILL');
    expect(await db.exited).toBe('SIGKILL');
    const killedAt = now();
    await sleep(1000);
    const second = await startDb(port);
    db = second.child;
    const restartedAt = now();
    // Service resumes by itself: new customers complete their orders on the restarted database.
    for (let i = 0; i < 300 && told.orders.filter((o) => o.at > restartedAt).length < 3; i++) await sleep(50);
    stopping = true;
    await Promise.all(loops);
    const ordersAfterRestart = told.orders.filter((o) => o.at > restartedAt).length;
    expect(ordersAfterRestart).toBeGreaterThanOrEqual(3);

    // Interrupted placements are repaired by the reconciliation once their lease is over.
    await sleep(LEASE_MS + 200);
    const report = await services.checkout.reconcile();

    // Every registration and every order the client was told about exists.
    const users = await database.db.collection('users').find({ email: { $in: told.registrations } }, { projection: { email: 1 } }).toArray();
    expect(users.map((u) => u.email as string).sort()).toEqual([...told.registrations].sort());
    const orders = await database.db.collection<OrderDoc>('orders').find({}).toArray();
    const placedStatuses = new Set(['pending_payment', 'paid', 'fulfilled', 'completed']);
    for (const { id } of told.orders) expect(placedStatuses.has(orders.find((o) => o._id.equals(new ObjectId(id)))?.status ?? 'missing')).toBe(true);

    // Nothing half-done, and no unit lost or sold twice.
    expect(orders.filter((o) => o.status === 'placing')).toEqual([]);
    const placed = orders.filter((o) => placedStatuses.has(o.status));
    for (const product of products) {
      const doc = await database.db.collection<ProductDoc & { stockLedger?: unknown[] }>('products').findOne({ _id: product._id });
      const stock = doc?.variants[0]?.stock ?? -1;
      const sold = placed.flatMap((o) => o.lines).filter((l) => l.productId.equals(product._id)).reduce((sum, l) => sum + l.qty, 0);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock + sold).toBe(INITIAL_STOCK);
      expect(doc?.stockLedger ?? []).toEqual([]);
    }
    console.log(
      `db SIGKILL: killed at ${killedAt.toFixed(0)} ms after ${ordersBeforeKill} confirmed orders; restarted ${(restartedAt - killedAt).toFixed(0)} ms later;` +
        ` told ${told.registrations.length} registrations and ${told.orders.length} orders (${ordersAfterRestart} after the restart), all present;` +
        ` ${placed.length} orders placed in the db; reconciliation: ${report.abandonedOrders.length} abandoned, ${report.releasedReservations} reservations released`,
      Object.fromEntries(told.failures),
    );
  }, 60_000);
});
