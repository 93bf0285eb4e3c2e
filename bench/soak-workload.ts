/**
 * The soak's mixed workload: closed-loop virtual users over real HTTP.
 *  - browsers: home, category, product and search pages;
 *  - shoppers: a new guest each round: product page, add to cart, cart; every third one checks out;
 *  - one admin: opens a product in the back-office editor and saves a change, then the order list.
 * Every request's latency and status go to a Recorder; an error is a request without an HTTP
 * answer or one that a working shop would not give (5xx, or a step that should redirect and did not).
 */
import { parse } from 'node-html-parser';
import { ShopClient, StepError } from '../test/fixtures/shop-client.js';
import { formFields } from '../test/helpers/agent.js';

export interface WorkloadData {
  categoryPaths: string[];
  productPaths: string[];
  /** Variants customers buy (not of the product the admin edits: its version would conflict). */
  variantIds: string[];
  searchWords: string[];
  admin: { email: string; password: string; productId: string };
}

export interface WindowStats {
  requests: number;
  errors: number;
  p99: number;
  orders: number;
  adminEdits: number;
}

/** Requests of the current window; `take()` returns its figures and starts the next. */
export class Recorder {
  private latencies: number[] = [];
  private errors = 0;
  private orders = 0;
  private adminEdits = 0;
  totals = { requests: 0, errors: 0, orders: 0, adminEdits: 0 };
  readonly errorKinds = new Map<string, number>();

  observe = (ms: number, status: number | undefined): void => {
    this.latencies.push(ms);
    this.totals.requests++;
    if (status === undefined || status >= 500) this.error(`HTTP ${status ?? 'no response'}`);
  };

  error(kind: string): void {
    this.errors++;
    this.totals.errors++;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }

  order(): void {
    this.orders++;
    this.totals.orders++;
  }

  adminEdit(): void {
    this.adminEdits++;
    this.totals.adminEdits++;
  }

  take(): WindowStats {
    const sorted = this.latencies.sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
    const stats = { requests: sorted.length, errors: this.errors, p99, orders: this.orders, adminEdits: this.adminEdits };
    this.latencies = [];
    this.errors = 0;
    this.orders = 0;
    this.adminEdits = 0;
    return stats;
  }
}

const pick = <T>(list: readonly T[], n: number): T => {
  const value = list[n % list.length];
  if (value === undefined) throw new Error('empty list');
  return value;
};

async function round(recorder: Recorder, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    // A StepError for a 5xx or a lost request was already counted by observe().
    if (error.status !== undefined && error.status < 500) recorder.error(`${error.step.replace(/[0-9a-f]{24}/g, ':id')} → ${error.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function browser(base: string, data: WorkloadData, recorder: Recorder, w: number, stopped: () => boolean): Promise<void> {
  const client = new ShopClient(base, 10_000, recorder.observe);
  for (let n = w; !stopped(); n++) {
    await round(recorder, async () => {
      const kind = n % 4;
      if (kind === 0) await client.page('/');
      else if (kind === 1) await client.page(data.categoryPaths.length > 0 ? pick(data.categoryPaths, n) : '/');
      else if (kind === 2) await client.page(pick(data.productPaths, n));
      else await client.page(`/search?q=${encodeURIComponent(pick(data.searchWords, n))}`);
    });
  }
}

async function shopper(base: string, data: WorkloadData, recorder: Recorder, w: number, stopped: () => boolean): Promise<void> {
  for (let n = w; !stopped(); n++) {
    const client = new ShopClient(base, 10_000, recorder.observe);
    await round(recorder, async () => {
      await client.page(pick(data.productPaths, n));
      await client.addToCart(pick(data.variantIds, n), 1 + (n % 2));
      await client.page('/cart');
      if (n % 3 === 0) {
        await client.checkout(`soak-${w}-${n}@example.com`, `Soak Buyer ${n}`);
        recorder.order();
      }
    });
  }
}

async function admin(base: string, data: WorkloadData, recorder: Recorder, stopped: () => boolean): Promise<void> {
  const client = new ShopClient(base, 10_000, recorder.observe);
  await client.login(data.admin.email, data.admin.password, '/admin');
  const editor = `/admin/products/${data.admin.productId}`;
  for (let n = 0; !stopped(); n++) {
    await round(recorder, async () => {
      const page = await client.page(editor);
      const form = parse(page.body).querySelector('form.product-form');
      if (!form) throw new StepError('product editor form', page.status);
      const pairs: [string, string][] = [];
      for (const [name, values] of formFields(form)) for (const v of values) pairs.push([name, name === 'title_en' ? `Soak edit ${n}` : v]);
      pairs.push(['action', 'save']);
      await client.submitPairs(editor, pairs);
      recorder.adminEdit();
      await client.page('/admin/orders');
    });
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface WorkloadShape {
  browsers: number;
  shoppers: number;
}

/** Starts the virtual users; the returned promise settles once `stopped()` is true and all are done. */
export function runWorkload(base: string, data: WorkloadData, shape: WorkloadShape, recorder: Recorder, stopped: () => boolean): Promise<void> {
  const users: Promise<void>[] = [admin(base, data, recorder, stopped)];
  for (let w = 0; w < shape.browsers; w++) users.push(browser(base, data, recorder, w, stopped));
  for (let w = 0; w < shape.shoppers; w++) users.push(shopper(base, data, recorder, w, stopped));
  return Promise.all(users).then(() => undefined);
}
