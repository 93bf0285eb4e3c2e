/**
 * `<dbPath>/mongod.lock` holds the pid of the server using the directory. Created with an
 * exclusive create, so two servers starting at once cannot both win.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './types.js';

export const LOCK_FILE = 'mongod.lock';
/** A lock file still empty after this long was left by a start that died before writing its pid. */
const EMPTY_LOCK_GRACE_MS = 5_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DbPathLockedError extends Error {
  override readonly name = 'DbPathLockedError';
}

export interface DbPathLock {
  readonly path: string;
  release(): Promise<void>;
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export async function acquireLock(dbPath: string, logger: Logger): Promise<DbPathLock> {
  const path = join(dbPath, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(path)) return { path, release: () => releaseLock(path) };
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: retry
      throw err;
    }
    const pid = Number.parseInt(text.trim(), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      const who = pid === process.pid ? `this process (pid ${pid}) already has it open` : `another server (pid ${pid}) is using it`;
      throw new DbPathLockedError(
        `Cannot open the embedded database at ${dbPath}: ${who}. Connect to that server instead ` +
          `(set MONGODB_URI to the mongodb:// address it printed when it started), stop it, or choose another dbPath. ` +
          `If you are sure no such server runs, delete ${path}.`,
      );
    }
    if (!text.trim() && Date.now() - (await stat(path)).mtimeMs < EMPTY_LOCK_GRACE_MS) {
      throw new DbPathLockedError(`Cannot open the embedded database at ${dbPath}: another server is starting on it (${path}).`);
    }
    logger.warn(`Taking over stale lock ${path} (pid ${text.trim() || 'none'} is not running; it did not shut down cleanly).`);
    await rm(path, { force: true });
  }
  throw new DbPathLockedError(`Cannot open the embedded database at ${dbPath}: could not create ${path}.`);
}

/** Removes the lock only if it is still ours (a takeover by someone else is left alone). */
async function releaseLock(path: string): Promise<void> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    if (pid === process.pid) await rm(path, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
