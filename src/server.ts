import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/connect.js';
import { createShutdown } from './lifecycle.js';
import { runSeeders } from './seed/index.js';
import { createServices } from './services.js';

/** Entry point: config → database (embedded unless MONGODB_URI) → seed → app → listen. */

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nSet these variables in the environment or in a .env file (see .env.example).`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'server' });
  const services = createServices({ db: database.db, smtpUrl: config.smtpUrl });
  const app = await buildApp(config, { database, services });

  const shutdown = createShutdown({ app, closeResources: () => database.close(), timeoutMs: 10_000 });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }

  try {
    const seeded = await runSeeders({ db: database.db, services, config, log: (m) => app.log.info(m) });
    if (seeded.ran.length > 0) app.log.info({ seeders: seeded.ran }, 'seeded initial content');
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    app.log.error({ err: error }, 'start failed');
    await shutdown('start failed');
    process.exit(1);
  }

  const where =
    database.source === 'external'
      ? 'data: MongoDB at MONGODB_URI'
      : database.source === 'embedded'
        ? `data: embedded database in ${database.dataPath ?? config.dataDir} (address in ${config.dataDir}/db.uri)`
        : `data: embedded database of another running process (${database.uri})`;
  process.stdout.write(`\nVitrine is running at ${config.baseUrl}\n${where}\nPress Ctrl+C to stop.\n\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
