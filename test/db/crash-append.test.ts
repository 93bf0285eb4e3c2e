import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { docsOf, openStore, recordingLogger, removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

const fixture = fileURLToPath(new URL('./fixtures/crash-appender.ts', import.meta.url));

/** Runs the appender until `ready`, lets it write for `ms`, SIGKILLs it; returns its stdout lines. */
function runAndKill(dbPath: string, ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (signal !== 'SIGKILL') reject(new Error(`appender exited early (code ${code}): ${err}`));
      else resolve(out.split('\n').filter((l) => l && l !== 'ready'));
    });
  });
}

describe('crash: SIGKILL while appending', () => {
  it('keeps every acknowledged write across 20 kills on the same dbPath', { timeout: 60_000 }, async () => {
    const dbPath = await tempDir();
    const ackedPuts = new Set<number>();
    const ackedDels = new Set<number>();
    let maxCounter = 0;
    let totalAcks = 0;
    for (let round = 0; round < 20; round++) {
      const lines = await runAndKill(dbPath, 50 + Math.floor(Math.random() * 450));
      for (const line of lines) {
        const [kind, value] = [line[0], Number(line.slice(2))];
        if (kind === 'P') ackedPuts.add(value);
        else if (kind === 'D') ackedDels.add(value);
        else if (kind === 'I') maxCounter = Math.max(maxCounter, value);
      }
      totalAcks += lines.length;

      const logger = recordingLogger();
      const store = await openStore(dbPath, { logger });
      const state = await store.load();
      await store.close();
      expect(logger.errors).toEqual([]);
      const byId = new Map((docsOf(state, 't', 'items') ?? []).map((d) => [d._id, d]));
      for (const id of ackedPuts) {
        if (ackedDels.has(id)) expect(byId.has(id), `deleted id ${id} is back`).toBe(false);
        else if (id % 5 !== 3) expect(byId.get(id)?.n, `acknowledged id ${id} lost`).toBe(id);
      }
      const counter = docsOf(state, 't', 'counters')?.[0]?.v ?? 0;
      expect(counter).toBeGreaterThanOrEqual(maxCounter);
    }
    expect(totalAcks).toBeGreaterThan(200); // the children really wrote
    console.log(`crash-append: ${totalAcks} acknowledged writes, ${ackedPuts.size} puts`);
  });
});
