import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Db, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/client.js';
import type { OrderDoc } from '../../src/modules/orders/types.js';
import { createServices, type Services } from '../../src/services.js';
import { freePort, killIfRunning, startChild, waitFor, type Child } from '../fixtures/child-process.js';
import { insertProduct, stockOf, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { testConfig } from '../helpers/test-app.js';

/**
 * The embedded database (its own process, data on disk) is SIGKILLed in the middle of a placement;
 * the customer gets a 503. The database comes back on the same data and port; the customer submits
 * the same review form again (same checkout token): they land on the order that was saved, or, if
 * none was, on the review page with a fresh token — never on a second order or an error page.
 */

const LEASE_MS = 800;
const dbPath = mkdtempSync(join(tmpdir(), 'vitrine-placekill-'));
let port = 0;
let db: Child | undefined;
let database: Database | undefined;
let services: Services;
let app: FastifyInstance | undefined;
/** The step after which the database dies, for the next placement (once). */
let killAfter: string | undefined;

async function startDb(): Promise<Child> {
  const child = startChild('src/db/embedded/cli.ts', ['--dbpath', dbPath, '--port', String(port)], {});
  await waitFor(child, () => child.lines.some((l) => l.startsWith('mongodb://')), 'embedded database start');
  return child;
}

async function killDb(): Promise<void> {
  const child = db;
  if (!child) throw new Error('no database');
  child.process.kill('SIGKILL');
  expect(await child.exited).toBe('SIGKILL');
}

async function afterStep(step: string, _orderId: ObjectId): Promise<void> {
  if (step !== killAfter) return;
  killAfter = undefined;
  await killDb();
}

beforeAll(async () => {
  port = await freePort();
  db = await startDb();
  const uri = db.lines.find((l) => l.startsWith('mongodb://')) ?? '';
  database = await connectDatabase(uri, { serverSelectionTimeoutMS: 1000 });
  services = createServices({ db: database.db, shop: { leaseMs: LEASE_MS, afterStep } });
  app = await buildApp(testConfig({ LOG_LEVEL: 'silent' }), { database, services });
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  killIfRunning(db);
});

async function toReview(agent: TestAgent, variantId: string, email: string): Promise<Page> {
  const token = (await agent.get('/login')).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  expect((await agent.post('/cart/items', { variantId, quantity: '2', _csrf: token })).status).toBe(303);
  let page = await agent.get('/checkout', { follow: true });
  page = await agent.submitForm(page, 'form.contact-form', { email }, { follow: true });
  page = await agent.submitForm(page, 'form.address-form', { fullName: 'Ana Silva', line1: 'Rua Augusta 10', city: 'Lisboa', postalCode: '1100-148', country: 'PT' }, { follow: true });
  page = await agent.submitForm(page, 'form.shipping-form', { method: 'standard' }, { follow: true });
  page = await agent.submitForm(page, 'form.discount-skip-form', {}, { follow: true });
  expect(page.url).toBe('/checkout/review');
  return page;
}

/** Restarts the database on the same data and port, and waits until the shop reads from it again. */
async function restartDb(): Promise<void> {
  db = await startDb();
  for (let i = 0; i < 100; i++) {
    try {
      await database?.db.command({ ping: 1 });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the shop did not reconnect');
}

function shopDb(): Db {
  if (!database) throw new Error('no database');
  return database.db;
}
const ordersOf = (email: string) => shopDb().collection<OrderDoc>('orders').find({ email }).toArray();

describe('database SIGKILLed during place-order, then the customer retries the same form', () => {
  it('the order was saved: the retry lands on that order’s confirmation, and the cart is emptied', async () => {
    const p = await insertProduct(shopDb(), { price: 1500, variants: [{ stock: 10 }] });
    const agent = new TestAgent(app as FastifyInstance);
    const review = await toReview(agent, variantOf(p)._id.toHexString(), 'saved@example.com');

    killAfter = 'placed';
    const first = await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(first.status).toBe(503);
    await restartDb();
    const [saved, ...others] = await ordersOf('saved@example.com');
    expect(others).toEqual([]);
    expect(saved?.status).toBe('pending_payment');

    const retry = await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(retry.status).toBe(303);
    expect(retry.location).toBe(`/checkout/done/${saved?._id.toHexString() ?? ''}`);
    const done = await agent.follow(retry);
    expect(done.status).toBe(200);
    expect(done.html().querySelector('.order-number')?.text).toContain(String(saved?.number));
    expect(await ordersOf('saved@example.com')).toHaveLength(1);
    expect((await agent.get('/cart')).html().querySelector('.cart-empty')).not.toBeNull();

    // The reconciliation settles what the dead request left (stock stays sold, email sent once).
    await new Promise((r) => setTimeout(r, LEASE_MS + 100));
    await services.checkout.reconcile();
    expect(await stockOf(shopDb(), p)).toBe(8);
    expect(await shopDb().collection('outbox').countDocuments({ to: 'saved@example.com' })).toBe(1);
  }, 60_000);

  it('the order was not saved: the retry, once the reconciliation gave up on it, goes back to the review with a new token', async () => {
    const p = await insertProduct(shopDb(), { price: 1500, variants: [{ stock: 10 }] });
    const agent = new TestAgent(app as FastifyInstance);
    const review = await toReview(agent, variantOf(p)._id.toHexString(), 'lost@example.com');
    const oldToken = review.html().querySelector('form.place-form input[name=token]')?.getAttribute('value');

    killAfter = 'reserved';
    expect((await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' })).status).toBe(503);
    await restartDb();
    await new Promise((r) => setTimeout(r, LEASE_MS + 100));
    const report = await services.checkout.reconcile();
    expect(report.abandonedOrders).toHaveLength(1);
    expect(await stockOf(shopDb(), p)).toBe(10);

    const retry = await agent.submitForm(review, 'form.place-form', { paymentMethod: 'bank_transfer' });
    expect(retry.status).toBe(303);
    expect(retry.location).toBe('/checkout/review');
    const again = await agent.follow(retry);
    expect(again.status).toBe(200);
    expect(again.html().querySelector('.flash')).not.toBeNull();
    const newToken = again.html().querySelector('form.place-form input[name=token]')?.getAttribute('value');
    expect(newToken).toBeTruthy();
    expect(newToken).not.toBe(oldToken);
    const placed = await agent.follow(await agent.submitForm(again, 'form.place-form', { paymentMethod: 'bank_transfer' }));
    expect(placed.html().querySelector('.order-number')).not.toBeNull();
    const orders = await ordersOf('lost@example.com');
    expect(orders.map((o) => o.status).sort()).toEqual(['failed', 'pending_payment']);
    expect(await stockOf(shopDb(), p)).toBe(8);
  }, 60_000);
});
