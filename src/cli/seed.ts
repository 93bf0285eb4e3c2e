import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { runSeeders } from '../seed/index.js';
import { createServices } from '../services.js';

/**
 * `npm run seed [-- --force]`: runs the seeders that have not run yet (--force: all of them; each is
 * idempotent). Works whether or not the shop is running (src/db/connect.ts finds its database).
 */
async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const config = loadConfig();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'cli' });
  try {
    const services = createServices({ db: database.db });
    const result = await runSeeders({ db: database.db, services, config, log: (m) => console.log(m) }, { force });
    console.log(`seeders run: ${result.ran.join(', ') || 'none'}; already done: ${result.skipped.join(', ') || 'none'}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
