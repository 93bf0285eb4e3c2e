import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { ArchiveError, restoreDatabase, RestoreRefused } from '../ops/backup/index.js';

/**
 * `npm run restore -- <file.vbak> [--force]`: brings a fresh data directory (DATA_DIR, with the
 * shop stopped) or an empty database (MONGODB_URI) to the state of the archive. The archive is
 * checked end to end before anything is written. A database that already holds collections is
 * refused unless --force, which drops every collection in it first.
 */

const USAGE = 'usage: npm run restore -- <file.vbak> [--force]';

class UsageError extends Error {}

function parseArgs(args: readonly string[]): { file: string; force: boolean } {
  let file: string | undefined;
  let force = false;
  for (const arg of args) {
    if (arg === '--force') force = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
    else if (file === undefined) file = arg;
    else throw new UsageError('give one archive file');
  }
  if (file === undefined) throw new UsageError('which archive? give its file name');
  return { file: resolve(file), force };
}

async function main(): Promise<void> {
  const { file, force } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const started = performance.now();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'cli' });
  try {
    if (database.source === 'shared-embedded') {
      console.warn('warning: the shop is running on this data directory; restart it after the restore so no stale cache remains.');
    }
    const summary = await restoreDatabase(database.db, file, { force, log: (m) => console.log(`  ${m}`) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (summary.dropped.length > 0) console.log(`dropped first (--force): ${summary.dropped.join(', ')}`);
    console.log(
      `restored ${summary.collections} collections, ${summary.documents} documents from a backup of ` +
        `${summary.header.createdAt.toISOString()} in ${seconds} s`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof RestoreRefused || error instanceof ArchiveError || error instanceof ConfigError) {
    console.error(`restore: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
