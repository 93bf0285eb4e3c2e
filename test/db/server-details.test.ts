/**
 * Details of the embedded server that the driver relies on or that its README promises:
 * handshake limits, loopback binding, session and stats commands, duplicate-key error shapes,
 * the idle cursor timeout, `npm run db` shutting down cleanly, and the isolation of
 * src/db/embedded from the rest of src.
 */
import { calculateObjectSize } from 'bson';
import { MongoClient, type Db } from 'mongodb';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { commandError, useServerWithClient } from './fixtures/server-client.js';
import { CursorRegistry } from '../../src/db/embedded/storage/cursors.js';
import { killIfRunning, startChild, waitFor, type Child } from '../fixtures/child-process.js';
import { removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

const shared = useServerWithClient('details');
const { freshDb } = shared;

afterAll(async () => {
  await removeTempDirs();
});

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('handshake', () => {
  const limits = {
    logicalSessionTimeoutMinutes: 30,
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };

  it('hello answers with the limits of a standalone mongod 7.0 and no topologyVersion', async () => {
    const hello = await shared.client.db('admin').command({ hello: 1 });
    expect(hello).toMatchObject({ ...limits, helloOk: true, isWritablePrimary: true });
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(typeof hello.connectionId).toBe('number');
    expect(hello).not.toHaveProperty('topologyVersion');
    expect(hello).not.toHaveProperty('ismaster');
    expect(hello).not.toHaveProperty('setName');
  });

  it('legacy isMaster answers with the same limits, ismaster: true and no topologyVersion', async () => {
    const isMaster = await shared.client.db('admin').command({ isMaster: 1 });
    expect(isMaster).toMatchObject({ ...limits, ismaster: true });
    expect(isMaster).not.toHaveProperty('topologyVersion');
    expect(isMaster).not.toHaveProperty('isWritablePrimary');
  });
});

describe('listening address', () => {
  it('binds to 127.0.0.1 by default: the uri names it and no other address answers', async () => {
    expect(shared.server.host).toBe('127.0.0.1');
    expect(shared.server.uri).toBe(`mongodb://127.0.0.1:${shared.server.port}/`);
    expect(await canConnect('127.0.0.1', shared.server.port)).toBe(true);
    // 127.0.0.2 reaches this machine too, but only a server bound to every address accepts it.
    expect(await canConnect('127.0.0.2', shared.server.port)).toBe(false);
  });

  it('starts on a non-loopback host with allowRemote: true', async () => {
    const remote = await startEmbeddedMongo({ host: '0.0.0.0', allowRemote: true });
    try {
      expect(remote.host).toBe('0.0.0.0');
      expect(remote.uri).toBe(`mongodb://0.0.0.0:${remote.port}/`);
      expect(await canConnect('127.0.0.2', remote.port)).toBe(true);
      const other = new MongoClient(`mongodb://127.0.0.1:${remote.port}/`, { serverSelectionTimeoutMS: 2000 });
      try {
        expect(await other.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        await other.close();
      }
    } finally {
      await remote.stop();
    }
  });
});

describe('session and statistics commands', () => {
  it('endSessions answers ok: 1', async () => {
    const session = shared.client.startSession();
    await shared.client.db('admin').command({ ping: 1 }, { session });
    const res = await shared.client.db('admin').command({ endSessions: [session.id] });
    expect(res).toMatchObject({ ok: 1 });
    await session.endSession();
  });

  it('collStats gives count, size and nindexes of a seeded collection', async () => {
    const db = freshDb();
    const coll = db.collection<{ _id: number; name: string; qty: number }>('stock');
    const docs = [
      { _id: 1, name: 'apple', qty: 5 },
      { _id: 2, name: 'pear', qty: 12 },
      { _id: 3, name: 'plum', qty: 0 },
    ];
    await coll.insertMany(docs);
    await coll.createIndex({ name: 1 });
    const stats = await db.command({ collStats: 'stock' });
    const size = docs.reduce((sum, d) => sum + calculateObjectSize(d), 0);
    expect(stats).toMatchObject({ ns: `${db.databaseName}.stock`, count: 3, size, avgObjSize: Math.floor(size / 3), nindexes: 2, ok: 1 });
    expect(Object.keys(stats.indexSizes as object).sort()).toEqual(['_id_', 'name_1']);
    expect(await commandError(db, { collStats: 'missing' })).toMatchObject({ codeName: 'NamespaceNotFound' });
  });

  it('dbStats gives collections and objects', async () => {
    const db = freshDb();
    await db.collection('a').insertMany([{ x: 1 }, { x: 2 }]);
    await db.collection('b').insertOne({ y: 1 });
    await db.createCollection('empty');
    expect(await db.command({ dbStats: 1 })).toMatchObject({ db: db.databaseName, collections: 3, objects: 3, indexes: 3, ok: 1 });
    expect(await freshDb().command({ dbStats: 1 })).toMatchObject({ collections: 0, objects: 0, ok: 1 });
  });
});

describe('duplicate keys', () => {
  async function seedUnique(db: Db): Promise<void> {
    const coll = db.collection<{ _id: number; email: string }>('users');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, email: 'a@example.com' },
      { _id: 2, email: 'b@example.com' },
    ]);
  }

  it('update: an upsert or a $set onto a unique key is a writeError in an ok: 1 reply', async () => {
    const db = freshDb();
    await seedUnique(db);
    const res = await db.command({
      update: 'users',
      updates: [
        { q: { _id: 3 }, u: { $set: { email: 'a@example.com' } }, upsert: true },
        { q: { _id: 2 }, u: { $set: { email: 'a@example.com' } } },
      ],
      ordered: false,
    });
    expect(res).toMatchObject({ ok: 1, n: 0, nModified: 0 });
    expect(res.upserted).toBeUndefined();
    expect(res.writeErrors).toHaveLength(2);
    for (const [i, writeError] of (res.writeErrors as Record<string, unknown>[]).entries()) {
      expect(writeError).toMatchObject({ index: i, code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@example.com' } });
      expect(writeError.errmsg).toMatch(/^E11000 duplicate key error collection: \S+\.users index: email_1 dup key: /);
    }
    const users = await db.collection('users').find({}, { sort: { _id: 1 } }).toArray();
    expect(users).toEqual([
      { _id: 1, email: 'a@example.com' },
      { _id: 2, email: 'b@example.com' },
    ]);
  });

  it('findAndModify onto a unique key is a command error with code 11000, keyPattern and keyValue', async () => {
    const db = freshDb();
    await seedUnique(db);
    for (const cmd of [
      { findAndModify: 'users', query: { _id: 2 }, update: { $set: { email: 'a@example.com' } } },
      { findAndModify: 'users', query: { _id: 3 }, update: { $set: { email: 'a@example.com' } }, upsert: true, new: true },
    ]) {
      const err = await commandError(db, cmd);
      expect(err).toMatchObject({ code: 11000, codeName: 'DuplicateKey', keyPattern: { email: 1 }, keyValue: { email: 'a@example.com' } });
      expect(err.message).toMatch(/^E11000 /);
      expect(err.errorResponse).toMatchObject({ ok: 0, code: 11000, codeName: 'DuplicateKey' });
    }
    expect(await db.collection('users').countDocuments()).toBe(2);
    expect(await db.collection('users').findOne({ _id: 2 as never })).toEqual({ _id: 2, email: 'b@example.com' });
  });
});

describe('idle cursor timeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('defaults to 10 minutes: idle for 10 min - 1 ms survives a reap, idle for 10 min does not', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2024, 0, 1);
    vi.setSystemTime(t0);
    const registry = new CursorRegistry();
    try {
      const idle = registry.open('db.c', [{ a: 1 }], 0);
      const used = registry.open('db.c', [{ a: 2 }], 0);
      registry.reap(t0 + 10 * 60_000 - 1);
      expect(registry.get(idle)).toBeDefined(); // the clock stands at t0: get() leaves lastUsed as it was
      vi.setSystemTime(t0 + 5 * 60_000);
      expect(registry.get(used)).toBeDefined(); // used at 5 min: its idle time starts again
      registry.reap(t0 + 10 * 60_000);
      expect(registry.get(idle)).toBeUndefined();
      expect(registry.get(used)).toBeDefined();
      registry.reap(t0 + 15 * 60_000);
      expect(registry.get(used)).toBeUndefined();
    } finally {
      registry.stop();
    }
  });

  it('the reaper timer of a default registry drops an idle cursor at 10 minutes, not before', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const registry = new CursorRegistry();
    try {
      const idle = registry.open('db.c', [{ a: 1 }], 0);
      const probe = registry.open('db.c', [{ a: 2 }], 0);
      const used = registry.open('db.c', [{ a: 3 }], 0);
      vi.advanceTimersByTime(10 * 60_000 - 1);
      expect(registry.close(probe)).toBe(true); // still open after 9 reaps (one a minute)
      expect(registry.get(used)).toBeDefined();
      vi.advanceTimersByTime(1);
      expect(registry.get(idle)).toBeUndefined();
      expect(registry.get(used)).toBeDefined();
      vi.advanceTimersByTime(10 * 60_000);
      expect(registry.get(used)).toBeUndefined();
    } finally {
      registry.stop();
    }
  });

  it('startEmbeddedMongo keeps the default when cursorTimeoutMs is not given: an open cursor survives a getMore later', async () => {
    const db = freshDb();
    await db.collection('c').insertMany(Array.from({ length: 5 }, (_, i) => ({ i })));
    const first = await db.command({ find: 'c', batchSize: 2 });
    await new Promise((r) => setTimeout(r, 300));
    const more = await db.command({ getMore: first.cursor.id, collection: 'c' });
    expect(more.cursor.nextBatch).toHaveLength(3);
  });
});

describe('npm run db (cli.ts)', () => {
  let child: Child | undefined;
  afterEach(() => killIfRunning(child));

  async function startCli(dbPath: string): Promise<{ child: Child; uri: string }> {
    const started = startChild('src/db/embedded/cli.ts', ['--dbpath', dbPath, '--port', '0'], {});
    child = started;
    await waitFor(started, () => started.lines.some((l) => l.startsWith('mongodb://')), 'embedded database start');
    return { child: started, uri: started.lines.find((l) => l.startsWith('mongodb://')) ?? '' };
  }

  it('flushes on SIGTERM, exits 0, releases the lock, and serves the data again on restart', { timeout: 60_000 }, async () => {
    const dbPath = await tempDir();
    const first = await startCli(dbPath);
    expect(first.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(existsSync(join(dbPath, 'mongod.lock'))).toBe(true);
    const writer = new MongoClient(first.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await writer.db('cli').collection('notes').insertOne({ _id: 'kept' as never, text: 'written before SIGTERM' });
      // The client stays connected: the server must not wait for it to leave.
      first.child.process.kill('SIGTERM');
      expect(await first.child.exited).toBe(0);
    } finally {
      await writer.close();
    }
    expect(first.child.lines).toContain('SIGTERM received, stopping');
    expect(existsSync(join(dbPath, 'mongod.lock'))).toBe(false);
    expect(existsSync(join(dbPath, 'snapshot.bin'))).toBe(true); // the journal was folded into a snapshot

    const second = await startCli(dbPath);
    const reader = new MongoClient(second.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      expect(await reader.db('cli').collection('notes').findOne({ _id: 'kept' as never })).toEqual({ _id: 'kept', text: 'written before SIGTERM' });
    } finally {
      await reader.close();
    }
    second.child.process.kill('SIGTERM');
    expect(await second.child.exited).toBe(0);
  });
});

describe('isolation of src/db/embedded', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/db/embedded');

  async function tsFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))),
    );
    return nested.flat();
  }

  /** Every module specifier: `import … from`, `export … from`, side-effect `import '…'`, `import('…')` and `require('…')`. */
  function specifiers(source: string): string[] {
    const found: string[] = [];
    const patterns = [
      /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"\n]+)\1/gm,
      /^\s*import\s*(['"])([^'"\n]+)\1/gm,
      /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
      /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    ];
    for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[2] ?? '');
    return found;
  }

  it('finds every kind of specifier (self-check of the scanner)', () => {
    const sample = [
      "import { a } from './a.js';",
      'import type {\n  B,\n} from "../b.js";',
      "export * from 'mongodb';",
      "import 'side-effect';",
      "const m = await import('../../config.js');",
      "const LIST = ['from', 'as'];",
    ].join('\n');
    expect(specifiers(sample).sort()).toEqual(['../../config.js', '../b.js', './a.js', 'mongodb', 'side-effect']);
  });

  it('imports only relative modules inside it, bson and node: builtins', async () => {
    const files = await tsFiles(root);
    expect(files.length).toBeGreaterThan(50);
    const offending: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const spec of specifiers(await readFile(file, 'utf8'))) {
        checked++;
        if (spec === 'bson' || spec.startsWith('node:')) continue;
        const inside = (spec.startsWith('./') || spec.startsWith('../')) && !relative(root, resolve(dirname(file), spec)).startsWith('..');
        if (!inside) offending.push(`${relative(root, file)}: '${spec}'`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });
});
