/**
 * The shop under soak, in its own process (run with --expose-gc): buildApp + listen on MONGODB_URI.
 * Talks to bench/soak-run.ts over IPC: sends { listening: port }; on 'sample' answers with its
 * memory after a forced full GC (so heap growth is live data, not garbage not yet collected); on
 * 'stop' closes and exits.
 */
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { createServices } from '../src/services.js';

const send = (message: unknown): void => {
  process.send?.(message);
};

const config = parseConfig({ ...process.env, NODE_ENV: 'production' });
if (!config.mongodbUri) throw new Error('MONGODB_URI is required');
const database = await connectDatabase(config.mongodbUri);
const services = createServices({ db: database.db });
const app = await buildApp(config, { database, services });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('not listening on TCP');

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: unknown) => {
  if (message === 'sample') {
    const before = process.memoryUsage();
    gc?.();
    const after = process.memoryUsage();
    send({ sample: { rss: before.rss, heapUsed: before.heapUsed, heapAfterGc: gc ? after.heapUsed : Number.NaN, external: after.external } });
  } else if (message === 'stop') {
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  }
});
send({ listening: address.port });
