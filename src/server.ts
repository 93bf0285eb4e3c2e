import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { banner, runPrimary } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/connect.js';
import { createShutdown } from './lifecycle.js';
import { runSeeders } from './seed/index.js';
import { createServices } from './services.js';

/**
 * Entry point: config → database (embedded unless MONGODB_URI) → seed → app → listen.
 * With WEB_CONCURRENCY > 1 this process becomes the cluster primary (src/cluster.ts: database,
 * seeding, workers) and each worker runs `serve` without seeding, its log lines tagged `worker`.
 */

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

async function serve(config: Config, worker: number | undefined): Promise<void> {
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'server' });
  const services = createServices({ db: database.db, smtpUrl: config.smtpUrl });
  const app = await buildApp(config, { database, services, ...(worker === undefined ? {} : { logBindings: { worker } }) });

  const shutdown = createShutdown({ app, closeResources: () => database.close(), timeoutMs: 10_000 });
  const stop = (reason: string): void => {
    shutdown(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));
  // A worker whose primary is gone (killed) stops too, instead of lingering unreachable.
  if (worker !== undefined) process.once('disconnect', () => stop('primary gone'));

  try {
    // In a cluster the primary has seeded already (once, not by N racing workers).
    if (worker === undefined) {
      const seeded = await runSeeders({ db: database.db, services, config, log: (m) => app.log.info(m) });
      if (seeded.ran.length > 0) app.log.info({ seeders: seeded.ran }, 'seeded initial content');
    }
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    app.log.error({ err: error }, 'start failed');
    await shutdown('start failed');
    process.exit(1);
  }

  if (worker === undefined) process.stdout.write(banner(config, database));
}

async function main(): Promise<void> {
  const config = readConfig();
  if (cluster.isPrimary && config.webConcurrency > 1) await runPrimary(config);
  else await serve(config, cluster.worker?.id);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
