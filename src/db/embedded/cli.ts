/**
 * `npm run db -- --dbpath ./data/db --port 27017 [--host 127.0.0.1] [--allow-remote]`:
 * runs the embedded server on its own until SIGINT/SIGTERM, then flushes and exits 0.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './index.js';

const USAGE = 'usage: npm run db -- [--dbpath ./data/db] [--port 27017] [--host 127.0.0.1] [--allow-remote] [--in-memory]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dbpath: { type: 'string', default: './data/db' },
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      'in-memory': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port '${values.port}'\n${USAGE}`);
  const logger = {
    info: (msg: string) => console.log(msg),
    warn: (msg: string, obj?: object) => console.warn(msg, obj ?? ''),
    error: (msg: string, obj?: object) => console.error(msg, obj ?? ''),
  };
  const server = await startEmbeddedMongo({
    dbPath: values['in-memory'] ? undefined : values.dbpath,
    port,
    host: values.host,
    allowRemote: values['allow-remote'],
    logger,
  });
  console.log(server.uri);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('embedded mongo: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
