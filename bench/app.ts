/**
 * `npm run bench`: the shop on the embedded database against a bare Fastify hello-world on the same
 * machine (the ceiling). 64 connections, a few seconds per target; req/s, p50, p99 and the ratio
 * to the ceiling. Later issues add a page with one line in `targets`.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { parse } from 'node-html-parser';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { runSeeders } from '../src/seed/index.js';
import { createServices } from '../src/services.js';

const CONNECTIONS = 64;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);

interface Target {
  name: string;
  /** Path on the shop, or a function finding it (e.g. a hashed asset URL from the home page). */
  path: string | ((html: string) => string);
}

const targets: Target[] = [
  { name: 'home page /', path: '/' },
  { name: 'static asset (hashed css)', path: (html) => parse(html).querySelector('link[rel=stylesheet]')?.getAttribute('href') ?? '' },
  { name: 'static page (info)', path: '/pages/en/shipping.html' },
  { name: 'healthz (db ping)', path: '/healthz' },
  { name: 'search page (no db read, new session)', path: '/search' },
  // Storefront pages over the demo data, found from the home page (featured categories/products).
  { name: 'category page (24 products)', path: (html) => parse(html).querySelector('a[href^="/c/"]')?.getAttribute('href') ?? '/c/none' },
  { name: 'product page', path: (html) => parse(html).querySelector('a[href^="/p/"]')?.getAttribute('href') ?? '/p/none' },
  {
    name: 'search ?q=<a product word>',
    path: (html) => `/search?q=${encodeURIComponent((parse(html).querySelector('.card-title')?.text.trim() ?? 'shirt').split(/\s+/)[0] ?? 'shirt')}`,
  },
];

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function measure(name: string, url: string): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const hello = Fastify({ logger: false });
  hello.get('/', async () => 'hello world');
  const helloUrl = await hello.listen({ port: 0, host: '127.0.0.1' });

  const embedded = await startEmbeddedMongo();
  const database = await connectDatabase(embedded.uri);
  const config = parseConfig({
    NODE_ENV: 'production',
    MONGODB_URI: embedded.uri,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  });
  const services = createServices({ db: database.db });
  await runSeeders({ db: database.db, services, config, log: () => undefined });
  const app = await buildApp(config, { database, services });
  const shopUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const homeHtml = await (await fetch(shopUrl)).text();

  console.log(`${CONNECTIONS} connections, ${DURATION_S} s per target\n`);
  const results: Result[] = [await measure('ceiling: Fastify hello world', helloUrl)];
  for (const target of targets) {
    const path = typeof target.path === 'string' ? target.path : target.path(homeHtml);
    results.push(await measure(target.name, shopUrl + path));
  }

  const ceiling = results[0]?.rps ?? 1;
  const rows = results.map((r) => ({
    target: r.name,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'vs ceiling': (r.rps / ceiling).toFixed(2),
    'errors/non-2xx': `${r.errors}/${r.non2xx}`,
  }));
  console.table(rows);

  // autocannon may leave requests in flight; let them finish before the database goes away.
  await new Promise((r) => setTimeout(r, 1000));
  await app.close();
  await database.close();
  await embedded.stop();
  await hello.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
