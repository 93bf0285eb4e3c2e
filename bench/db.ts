/**
 * Benchmark of the embedded MongoDB-compatible server through the official driver
 * (`npm run bench:db`). Durable: a temp dbPath, so every write waits for its journal fsync.
 * Each op runs for a fixed time with 1 and with 16 connections (16 MongoClients with one
 * socket each), then a table and the targets are printed. Not a test: no assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';

const WARMUP_MS = 300;
const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
const DOCS = 10_000;
const CATEGORIES = 50;

type Op = { name: string; run: (db: Db, i: number) => Promise<unknown> };

const rand = (n: number): number => Math.floor(Math.random() * n);

const OPS: Op[] = [
  { name: 'ping', run: (db) => db.command({ ping: 1 }) },
  { name: 'insertOne (durable)', run: (db, i) => db.collection('inserts').insertOne({ _id: new ObjectId(), i, at: new Date() }) },
  { name: 'findOne by _id', run: (db) => db.collection('products').findOne({ _id: rand(DOCS) as never }) },
  { name: 'find by indexed field', run: (db) => db.collection('products').find({ sku: `sku-${rand(DOCS)}` }).toArray() },
  {
    name: 'find filter+sort+limit 24',
    run: (db) => db.collection('products').find({ category: rand(CATEGORIES), stock: { $gt: 0 } }).sort({ price: -1 }).limit(24).toArray(),
  },
  { name: 'updateOne $inc (durable)', run: (db) => db.collection('products').updateOne({ _id: rand(DOCS) as never }, { $inc: { stock: 1 } }) },
  {
    name: 'aggregate $group (10k docs)',
    run: (db) =>
      db.collection('products').aggregate([{ $group: { _id: '$category', n: { $sum: 1 }, avgPrice: { $avg: '$price' } } }]).toArray(),
  },
];

interface Result {
  op: string;
  connections: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  error?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** One loop per client: warm-up, then `MEASURE_MS` of back-to-back calls, each latency recorded. */
async function measure(op: Op, dbs: Db[]): Promise<Result> {
  const latencies: number[] = [];
  let counter = 0;
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  await Promise.all(
    dbs.map(async (db) => {
      for (;;) {
        const t0 = performance.now();
        if (t0 >= end) return;
        await op.run(db, counter++);
        const t1 = performance.now();
        if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { op: op.name, connections: dbs.length, opsPerSec: latencies.length / (MEASURE_MS / 1000), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function seed(db: Db): Promise<void> {
  const products = db.collection('products');
  const docs = Array.from({ length: DOCS }, (_, i) => ({
    _id: i as never,
    sku: `sku-${i}`,
    name: `Product ${i}`,
    category: i % CATEGORIES,
    price: 100 + ((i * 7919) % 100_000),
    stock: i % 7,
    tags: [`t${i % 13}`, `t${i % 17}`],
  }));
  for (let i = 0; i < docs.length; i += 1000) await products.insertMany(docs.slice(i, i + 1000));
  await products.createIndex({ sku: 1 }, { unique: true });
  await products.createIndex({ category: 1, price: -1 });
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');
}

async function main(): Promise<void> {
  const dbPath = await mkdtemp(join(tmpdir(), 'vitrine-bench-'));
  const server = await startEmbeddedMongo({ dbPath, logger: { info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) } });
  const clients: MongoClient[] = [];
  let socketsOpened = 0;
  const results: Result[] = [];
  try {
    console.log(`embedded server ${server.uri} (durable, dbPath ${dbPath}); ${MEASURE_MS} ms per op after ${WARMUP_MS} ms warm-up`);
    for (let i = 0; i < 16; i++) {
      const client = new MongoClient(server.uri, { directConnection: true, maxPoolSize: 1, minPoolSize: 1 });
      client.on('connectionCreated', () => socketsOpened++);
      await client.connect();
      clients.push(client);
    }
    const dbs = clients.map((c) => c.db('bench'));
    const t0 = performance.now();
    await seed(dbs[0] as Db);
    console.log(`seeded ${DOCS} products in ${Math.round(performance.now() - t0)} ms`);
    for (const connections of [1, 16]) {
      for (const op of OPS) {
        try {
          results.push(await measure(op, dbs.slice(0, connections)));
        } catch (err) {
          results.push({ op: op.name, connections, opsPerSec: 0, p50: Number.NaN, p99: Number.NaN, error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
    console.log(`driver sockets opened: ${socketsOpened} (16 clients × maxPoolSize 1)\n`);
    report(results);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
    await rm(dbPath, { recursive: true, force: true });
  }
}

function report(results: Result[]): void {
  const widths = [28, 5, 10, 9, 9, 9];
  console.log(row(['op', 'conns', 'ops/s', 'p50 ms', 'p99 ms', '× ping'], widths));
  const ping = (c: number): number => results.find((r) => r.op === 'ping' && r.connections === c)?.opsPerSec ?? Number.NaN;
  const ratio = (name: string, c: number): number => (results.find((r) => r.op === name && r.connections === c)?.opsPerSec ?? 0) / ping(c);
  for (const r of results) {
    if (r.error) {
      console.log(row([r.op, r.connections, 'error', '', '', ''], widths) + `  ${r.error}`);
      continue;
    }
    console.log(row([r.op, r.connections, Math.round(r.opsPerSec), r.p50.toFixed(2), r.p99.toFixed(2), ratio(r.op, r.connections).toFixed(2)], widths));
  }
  const targets: [string, string, number, number][] = [
    ['findOne by _id ≥ 0.6 × ping (1 connection)', 'findOne by _id', 1, 0.6],
    ['findOne by _id ≥ 0.6 × ping (16 connections)', 'findOne by _id', 16, 0.6],
    ['durable insertOne ≥ 0.3 × ping (16 connections)', 'insertOne (durable)', 16, 0.3],
  ];
  console.log('\ntargets:');
  for (const [label, name, c, min] of targets) {
    const value = ratio(name, c);
    console.log(`  ${label}: ${value.toFixed(2)} → ${value >= min ? 'met' : 'missed'}`);
  }
}

main().catch((err: unknown) => {
  console.error('benchmark failed:', err);
  process.exitCode = 1;
});
