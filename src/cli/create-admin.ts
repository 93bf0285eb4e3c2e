import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { ValidationError } from '../lib/errors.js';
import { accountsIndexes } from '../modules/accounts/repository.js';
import { createServices } from '../services.js';

/**
 * `npm run create-admin -- --email x@y`: creates the account as admin, or promotes an existing one,
 * with a random one-time password printed once (to be changed at first sign-in). There is never a
 * default password. Works with the shop running or not (src/db/connect.ts finds its database).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  if (values.email === undefined) {
    console.error('Usage: npm run create-admin -- --email you@example.com');
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'cli' });
  try {
    await database.ensureIndexes(accountsIndexes);
    const { accounts } = createServices({ db: database.db, smtpUrl: config.smtpUrl });
    const { outcome, password } = await accounts.createOrPromoteAdmin(values.email);
    console.log(`${outcome === 'created' ? 'Created' : 'Promoted'} admin ${values.email.trim().toLowerCase()}.`);
    console.log(`One-time password (shown once; you will choose your own at first sign-in): ${password}`);
    console.log(`Sign in at ${config.baseUrl}/login`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof ValidationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
