/**
 * Issue 6, point 8: add-to-cart and place-order under load (`npm run bench`, rows in the same table).
 *
 * Both are real form posts through the whole stack (session, CSRF, service, conditional updates):
 *  - add-to-cart: CONNECTIONS shoppers (one session each) post "Add to cart" for demo variants in a
 *    closed loop for the bench duration;
 *  - place-order: PLACE_ORDERS shoppers are first brought to the review page over HTTP (cart, contact,
 *    address, delivery); then each "Place order" form is posted once, CONNECTIONS at a time. A
 *    placement consumes its cart and token, so this one runs for a number of requests, not seconds.
 * A good answer is a 303 (to the cart or the confirmation); "bad" counts anything else.
 */
import autocannon from 'autocannon';
import type { Db } from 'mongodb';
import { parse } from 'node-html-parser';

const PLACE_ORDERS = Number(process.env.BENCH_ORDERS ?? 600);

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Answers other than the expected 303. */
  non2xx: number;
}

interface Shopper {
  /** Cookie header (session, CSRF), kept up to date with every Set-Cookie of the setup. */
  cookie: string;
  csrf: string;
  token?: string;
}

/**
 * A visitor's first page with a POST form: its CSRF cookie and token. (An empty cart page has no
 * form, and the footer's language form is a GET form, so it carries no token.)
 */
async function newShopper(shopUrl: string): Promise<Shopper> {
  const r = await fetch(`${shopUrl}/login`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; ');
  const csrf = parse(await r.text()).querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  return { cookie, csrf };
}

async function post(shopUrl: string, s: Shopper, path: string, values: Record<string, string>): Promise<void> {
  const r = await fetch(shopUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...values, _csrf: s.csrf }),
  });
  if (r.status !== 303) throw new Error(`bench setup ${path}: ${r.status}`);
  keepCookies(s, r);
}

function keepCookies(s: Shopper, r: Response): void {
  const jar = new Map(s.cookie.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
  for (const c of r.headers.getSetCookie()) {
    const pair = c.split(';')[0] ?? '';
    jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  s.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Demo variants with their stock raised, so the load measures the work and not "sold out". */
async function benchVariants(db: Db, count: number): Promise<string[]> {
  const products = await db.collection('products').find({ status: 'published', digital: { $exists: false } }).limit(count).toArray();
  await db.collection('products').updateMany({ _id: { $in: products.map((p) => p._id) } }, { $set: { 'variants.$[].stock': 1_000_000, inStock: true } });
  return products.flatMap((p) => (p.variants as { _id: { toHexString(): string } }[]).slice(0, 1).map((v) => v._id.toHexString()));
}

function run(options: autocannon.Options, name: string): Promise<LoadResult> {
  let bad = 0;
  const requests = (options.requests ?? []).map((r) => ({ ...r, onResponse: (status: number) => void (status !== 303 && bad++) }));
  return autocannon({ ...options, requests }).then((r) => ({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: bad }));
}

export async function benchAddToCart(shopUrl: string, db: Db, connections: number, seconds: number): Promise<LoadResult> {
  const variants = await benchVariants(db, 20);
  // Each shopper's first add creates its session and cart; the load then adds to existing carts.
  const shoppers = await Promise.all(Array.from({ length: connections }, async (_, i) => {
    const s = await newShopper(shopUrl);
    await post(shopUrl, s, '/cart/items', { variantId: variants[i % variants.length] ?? '', quantity: '1' });
    return s;
  }));
  let next = 0;
  return run(
    {
      url: shopUrl,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/cart/items',
          setupRequest: (request) => {
            const n = next++;
            const s = shoppers[n % shoppers.length] ?? shoppers[0];
            const body = new URLSearchParams({ _csrf: s?.csrf ?? '', variantId: variants[n % variants.length] ?? '', quantity: '1' }).toString();
            return { ...request, headers: { ...request.headers, cookie: s?.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' }, body };
          },
        },
      ],
    },
    'add to cart (POST /cart/items → 303)',
  );
}

export async function benchPlaceOrder(shopUrl: string, db: Db, connections: number): Promise<LoadResult> {
  const variants = await benchVariants(db, 20);
  const ready: Shopper[] = [];
  for (let i = 0; i < PLACE_ORDERS; i += 30) {
    ready.push(...(await Promise.all(Array.from({ length: Math.min(30, PLACE_ORDERS - i) }, async (_, k) => {
      const s = await newShopper(shopUrl);
      await post(shopUrl, s, '/cart/items', { variantId: variants[(i + k) % variants.length] ?? '', quantity: '1' });
      await post(shopUrl, s, '/checkout/contact', { email: `bench${i + k}@example.com` });
      await post(shopUrl, s, '/checkout/address', { fullName: 'Bench Buyer', line1: 'Rua Augusta 10', line2: '', city: 'Lisboa', region: '', postalCode: '1100-148', country: 'PT', phone: '' });
      await post(shopUrl, s, '/checkout/shipping', { method: 'standard' });
      await post(shopUrl, s, '/checkout/discount', { action: 'skip' });
      const review = await fetch(`${shopUrl}/checkout/review`, { headers: { cookie: s.cookie } });
      s.token = parse(await review.text()).querySelector('form.place-form input[name=token]')?.getAttribute('value');
      if (!s.token) throw new Error('bench setup: no review token');
      return s;
    }))));
  }
  let next = 0;
  return run(
    {
      url: shopUrl,
      connections,
      amount: ready.length,
      requests: [
        {
          method: 'POST',
          path: '/checkout/place',
          setupRequest: (request) => {
            const s = ready[next++ % ready.length];
            const body = new URLSearchParams({ _csrf: s?.csrf ?? '', token: s?.token ?? '', paymentMethod: 'bank_transfer' }).toString();
            return { ...request, headers: { ...request.headers, cookie: s?.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded' }, body };
          },
        },
      ],
    },
    `place order (${ready.length} carts, POST /checkout/place → 303)`,
  );
}
