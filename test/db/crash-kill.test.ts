/**
 * SIGKILLs a server process in the middle of driver writes, 20 times on the same dbPath, and
 * checks after each kill that the store opens with every acknowledged write in it. The child
 * compacts every few KiB, so kills also land before, during and after snapshot + journal cuts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

const fixture = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

function runAndKill(dbPath: string, firstId: number, ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dbPath, String(firstId)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && out.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`crash-writer exited early (code ${code}): ${err}`));
      else resolve(out.split('\n').filter((l) => l && l !== 'ready'));
    });
  });
}

type Item = { _id: number | string; n?: number; v?: number };

/** Identity of the current snapshot file (a compaction renames a new one into place). */
async function snapshotId(dbPath: string): Promise<string> {
  const s = await stat(join(dbPath, 'snapshot.bin')).catch(() => undefined);
  return s ? `${s.ino}:${s.mtimeMs}` : 'none';
}

describe('crash: SIGKILL of the server process during driver writes', () => {
  it('keeps every acknowledged write, 20 kills in a row', { timeout: 90_000 }, async () => {
    const dbPath = await tempDir();
    const puts = new Set<number>();
    const incs = new Set<number>();
    const dels = new Set<number>();
    let counterSent = 0;
    let counterAcked = 0;
    let compactedRounds = 0;
    for (let round = 0; round < 20; round++) {
      const before = await snapshotId(dbPath);
      const lines = await runAndKill(dbPath, round * 1_000_000, 50 + Math.floor(Math.random() * 450));
      if ((await snapshotId(dbPath)) !== before) compactedRounds++;
      for (const line of lines) {
        const [kind, arg] = line.split(' ');
        const id = Number(arg);
        if (kind === 'P') puts.add(id);
        else if (kind === 'U') incs.add(id);
        else if (kind === 'D') dels.add(id);
        else if (kind === 'i') counterSent++;
        else if (kind === 'I') counterAcked++;
      }

      const server = await startEmbeddedMongo({ dbPath, logger: { info: () => {}, warn: () => {}, error: () => {} } });
      const client = new MongoClient(server.uri, { directConnection: true });
      try {
        const docs = await client.db('crash').collection<Item>('items').find({}).toArray();
        const byId = new Map(docs.map((d) => [d._id, d]));
        for (const id of puts) {
          const doc = byId.get(id);
          if (dels.has(id)) {
            expect(doc, `deleted ${id} is back`).toBeUndefined();
            continue;
          }
          if (id % 5 === 0 && !doc) continue; // its delete may have been durable without an ack
          expect(doc, `acknowledged insert ${id} lost (round ${round})`).toBeDefined();
          if (incs.has(id)) expect(doc?.n).toBe(id + 1000);
          else expect([id, id + 1000]).toContain(doc?.n);
        }
        const counter = byId.get('counter')?.v ?? 0;
        expect(counter).toBeGreaterThanOrEqual(counterAcked);
        expect(counter).toBeLessThanOrEqual(counterSent);
      } finally {
        await client.close();
        await server.stop();
      }
    }
    expect(puts.size).toBeGreaterThan(100); // the children really wrote
    expect(compactedRounds).toBeGreaterThan(0); // and really compacted while writing
    console.log(
      `crash-kill: ${puts.size} acknowledged inserts, ${incs.size} $inc, ${dels.size} deletes, counter ${counterAcked}/${counterSent}, ` +
        `compaction in ${compactedRounds}/20 rounds`,
    );
  });
});
