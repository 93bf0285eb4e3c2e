import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { parseSeedArgs, seedCommand } from '../seed/command.js';
import { createServices } from '../services.js';

/**
 * `npm run seed [-- --force] [-- --reset]`: runs the seeders that have not run yet (--force: all of
 * them; each is idempotent; --reset: empty the demo content first, src/seed/reset.ts). Works whether or not the shop is running (src/db/connect.ts finds its database).
 */
async function main(): Promise<void> {
  const options = parseSeedArgs(process.argv.slice(2));
  const config = loadConfig();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'cli' });
  try {
    const services = createServices({ db: database.db, smtpUrl: config.smtpUrl });
    const result = await seedCommand({ db: database.db, services, config, log: (m) => console.log(m) }, options);
    console.log(`seeders run: ${result.ran.join(', ') || 'none'}; already done: ${result.skipped.join(', ') || 'none'}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
