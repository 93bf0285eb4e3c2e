import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { backupDatabase, defaultBackupName } from '../ops/backup/index.js';

/**
 * `npm run backup [-- --out file.vbak]`: the whole database — products, orders, users, sessions,
 * settings and the media in GridFS — into one archive (src/ops/backup/archive-format.ts).
 * Works on a running shop (through DATA_DIR/db.uri), a stopped one (opens DATA_DIR/db) or MONGODB_URI.
 */

const USAGE = 'usage: npm run backup [-- --out <file.vbak>]';

function parseArgs(args: readonly string[]): { out: string | undefined } {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--out' || arg === '-o') out = args[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown argument "${arg}"`);
    if (out === undefined || out === '') throw new UsageError('--out needs a file name');
  }
  return { out };
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const { out } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const file = resolve(out ?? defaultBackupName(new Date()));
  const started = performance.now();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'cli' });
  try {
    const summary = await backupDatabase(database.db, file, { log: (m) => console.log(`  ${m}`) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`backup written: ${summary.file} (${summary.collections} collections, ${summary.documents} documents, ${seconds} s)`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
