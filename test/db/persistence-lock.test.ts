import { afterEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE } from '../../src/db/embedded/persistence/lock-file.js';
import { openStore, recordingLogger, removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

describe('mongod.lock', () => {
  it('holds our pid while open and is removed on close', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await store.load();
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
  });

  it('refuses a dbPath locked by a live process and says how to connect instead', async () => {
    const dir = await tempDir();
    const livePid = process.ppid; // alive, and not this process
    await writeFile(join(dir, LOCK_FILE), `${livePid}\n`);
    const opening = openStore(dir);
    await expect(opening).rejects.toThrow(`another server (pid ${livePid}) is using it`);
    await expect(opening).rejects.toThrow(/Connect to that server instead \(set MONGODB_URI/);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(livePid));
  });

  it('refuses a second open in the same process', async () => {
    const dir = await tempDir();
    const first = await openStore(dir);
    await expect(openStore(dir)).rejects.toThrow(/this process \(pid \d+\) already has it open/);
    await first.close();
    const second = await openStore(dir);
    await second.close();
  });

  it('takes over a stale lock with a warning', async () => {
    const dir = await tempDir();
    const deadPid = 99_999_999; // above any pid_max, so no such process
    await writeFile(join(dir, LOCK_FILE), `${deadPid}\n`);
    const logger = recordingLogger();
    const store = await openStore(dir, { logger });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/stale lock .*pid 99999999 is not running/);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
  });
});
