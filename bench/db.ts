/**
 * Benchmark of the embedded MongoDB-compatible server through the official driver
 * (`npm run bench:db`). Durable: a temp dbPath, so every write waits for its journal fsync.
 *
 * The server runs in a child process (`npm run db`), as it does in production, so the
 * figures measure the server and the driver each on its own event loop instead of both
 * sharing one (BENCH_SERVER=inprocess runs it in this process, as earlier versions did).
 * Each op runs with 1 and with 16 connections (16 MongoClients with one socket each). The
 * measuring time is split into BENCH_ROUNDS slices taken in turn with the other ops, so a
 * burst of load from another process on the machine hits every op alike and the
 * "× ping" ratios stay comparable. Not a test: no assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';

const WARMUP_MS = 300;
const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 8));
const IN_PROCESS = process.env.BENCH_SERVER === 'inprocess';
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

interface Tally {
  latencies: number[];
  elapsedMs: number;
  error?: string;
}

let counter = 0;

/**
 * One loop per client for `ms`: back-to-back calls, each latency recorded. The slice lasts
 * until the last call started in it has returned, so slow ops are not under-counted.
 */
async function slice(op: Op, dbs: Db[], ms: number, tally: Tally | undefined): Promise<void> {
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    dbs.map(async (db) => {
      for (;;) {
        const t0 = performance.now();
        if (t0 >= end) return;
        await op.run(db, counter++);
        tally?.latencies.push(performance.now() - t0);
      }
    }),
  );
  if (tally) tally.elapsedMs += performance.now() - start;
}

async function measureAll(dbs: Db[]): Promise<Result[]> {
  const tallies = OPS.map((): Tally => ({ latencies: [], elapsedMs: 0 }));
  const run = async (i: number, ms: number, record: boolean): Promise<void> => {
    const tally = tallies[i]!;
    if (tally.error) return;
    try {
      await slice(OPS[i]!, dbs, ms, record ? tally : undefined);
    } catch (err) {
      tally.error = err instanceof Error ? err.message : String(err);
    }
  };
  for (let i = 0; i < OPS.length; i++) await run(i, WARMUP_MS, false);
  for (let round = 0; round < ROUNDS; round++) for (let i = 0; i < OPS.length; i++) await run(i, MEASURE_MS / ROUNDS, true);
  return OPS.map((op, i) => {
    const { latencies, elapsedMs, error } = tallies[i]!;
    latencies.sort((a, b) => a - b);
    const opsPerSec = elapsedMs > 0 ? latencies.length / (elapsedMs / 1000) : 0;
    return { op: op.name, connections: dbs.length, opsPerSec, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), error };
  });
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

interface BenchServer {
  uri: string;
  stop(): Promise<void>;
}

/** `npm run db` in a child process (same node flags, so the tsx loader comes along); resolves with its URI. */
function startChildServer(dbPath: string): Promise<BenchServer> {
  const cli = fileURLToPath(new URL('../src/db/embedded/cli.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, cli, '--dbpath', dbPath, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`embedded server exited with code ${String(code)} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('mongodb://')) return;
      resolve({
        uri: line.trim(),
        async stop() {
          process.off('exit', killOnExit);
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

async function startServer(dbPath: string): Promise<BenchServer> {
  if (!IN_PROCESS) return startChildServer(dbPath);
  const quiet = { info: () => {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
  return startEmbeddedMongo({ dbPath, logger: quiet });
}

async function main(): Promise<void> {
  const dbPath = await mkdtemp(join(tmpdir(), 'vitrine-bench-'));
  const server = await startServer(dbPath);
  const clients: MongoClient[] = [];
  let socketsOpened = 0;
  const results: Result[] = [];
  try {
    const where = IN_PROCESS ? 'in this process (BENCH_SERVER=inprocess)' : 'in a child process (npm run db)';
    console.log(`embedded server ${server.uri} ${where}, durable, dbPath ${dbPath}`);
    console.log(`${MEASURE_MS} ms per op in ${ROUNDS} interleaved slices, after ${WARMUP_MS} ms warm-up`);
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
    for (const connections of [1, 16]) results.push(...(await measureAll(dbs.slice(0, connections))));
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
