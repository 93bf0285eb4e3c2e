/**
 * The shop as `npm run bench` runs it (embedded database, demo data, production settings, logs at
 * the default level, buffered as in production, into /dev/null), listening until SIGINT — for profiling one process while the
 * load comes from another:
 *   URL_FILE=/tmp/url node --cpu-prof --import tsx bench/serve.ts   (then autocannon; Ctrl+C)
 * URL_FILE receives the shop's URL and the database URI; PORT picks the port; BENCH_LOG_LEVEL
 * overrides the level.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { startEmbeddedMongoThread } from '../src/db/embedded/thread.js';
import { runSeeders } from '../src/seed/index.js';
import { bufferedDestination } from '../src/logger.js';
import { createServices } from '../src/services.js';

async function main(): Promise<void> {
  const embedded = await startEmbeddedMongoThread();
  const database = await connectDatabase(embedded.uri);
  const config = parseConfig({
    NODE_ENV: 'production',
    MONGODB_URI: embedded.uri,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
  });
  const services = createServices({ db: database.db });
  await runSeeders({ db: database.db, services, config, log: () => undefined });
  const logStream = bufferedDestination('/dev/null');
  const app = await buildApp(config, { database, services, logStream });
  const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  // Second line: the database, for load scripts that prepare data (bench/checkout-load.ts).
  if (process.env.URL_FILE) writeFileSync(process.env.URL_FILE, `${url}\n${embedded.uri}\n`);
  console.log(url);
  process.once('SIGINT', () => {
    void (async () => {
      await app.close();
      await database.close();
      await embedded.stop();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
