import cluster, { type Worker } from 'node:cluster';
import { hostname } from 'node:os';
import { pino } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type OpenedDatabase } from './db/connect.js';
import { runSeeders } from './seed/index.js';
import { createServices } from './services.js';

/**
 * The primary of `npm start` with WEB_CONCURRENCY > 1 (node:cluster). It owns what must exist once:
 * the embedded database (it holds the data directory lock; workers connect to its URI — with
 * MONGODB_URI every worker connects there directly) and the first-start seeding. It forks the
 * workers, which share the listening port, replaces a worker that dies, and on SIGTERM/SIGINT asks
 * every worker to finish its in-flight requests, waits for them, then closes the database.
 */

export interface PrimaryOptions {
  /** Longest wait for the workers to finish after SIGTERM before they are killed. */
  stopTimeoutMs?: number;
}

/** Give up (exit 1) when workers die this often: a crash loop does not fix itself. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export async function runPrimary(config: Config, options: PrimaryOptions = {}): Promise<void> {
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const log = pino({ level: config.logLevel, base: { pid: process.pid, hostname: hostname(), role: 'primary' } });
  const database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, role: 'server', logger: log });

  try {
    const services = createServices({ db: database.db, smtpUrl: config.smtpUrl });
    const seeded = await runSeeders({ db: database.db, services, config, log: (m) => log.info(m) });
    if (seeded.ran.length > 0) log.info({ seeders: seeded.ran }, 'seeded initial content');
  } catch (error) {
    log.error({ err: error }, 'start failed');
    await database.close();
    process.exit(1);
  }

  // Workers reach the embedded server through its URI (a direct connection, like MONGODB_URI).
  const workerEnv = config.mongodbUri === undefined ? { MONGODB_URI: database.uri } : {};
  const started = new Set<number>();
  const restarts: number[] = [];
  let stopping: Promise<void> | undefined;
  let announced = false;

  const fork = (): Worker => cluster.fork(workerEnv);

  cluster.on('listening', (worker) => {
    started.add(worker.id);
    log.info({ worker: worker.id, workerPid: worker.process.pid }, 'worker listening');
    if (!announced && started.size >= config.webConcurrency) {
      announced = true;
      process.stdout.write(banner(config, database));
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!started.has(worker.id)) {
      log.error({ worker: worker.id, code, signal }, 'a worker exited before listening: stopping');
      void stop('worker failed to start', 1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      log.error({ restarts: restarts.length, windowMs: RESTART_WINDOW_MS }, 'workers keep dying: stopping');
      void stop('crash loop', 1);
      return;
    }
    log.warn({ worker: worker.id, code, signal }, 'worker died: starting a replacement');
    fork();
  });

  function stop(reason: string, exitCode: number): Promise<void> {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down: workers finish their in-flight requests');
      const failed = await stopWorkers(stopTimeoutMs, log);
      try {
        await database.close();
      } catch (error) {
        log.error({ err: error }, 'closing the database failed');
        exitCode = 1;
      }
      log.info({ failedWorkers: failed }, 'shutdown complete');
      process.exit(failed > 0 ? 1 : exitCode);
    })();
    return stopping;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal, 0));
  for (let i = 0; i < config.webConcurrency; i++) fork();
  log.info({ workers: config.webConcurrency }, 'started workers');
}

/** SIGTERM to every worker, then wait; a worker still running after the timeout is killed. Returns how many did not exit 0. */
async function stopWorkers(timeoutMs: number, log: pino.Logger): Promise<number> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  let failed = 0;
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            log.warn({ worker: worker.id, timeoutMs }, 'worker did not stop in time: killing it');
            worker.process.kill('SIGKILL');
          }, timeoutMs);
          worker.once('exit', (code) => {
            clearTimeout(timer);
            if (code !== 0) failed++;
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    ),
  );
  return failed;
}

/** The lines `npm start` prints once the shop answers. */
export function banner(config: Config, database: OpenedDatabase): string {
  const where =
    database.source === 'external'
      ? 'data: MongoDB at MONGODB_URI'
      : database.source === 'embedded'
        ? `data: embedded database in ${database.dataPath ?? config.dataDir} (address in ${config.dataDir}/db.uri)`
        : `data: embedded database of another running process (${database.uri})`;
  const processes = config.webConcurrency > 1 ? ` (${config.webConcurrency} processes)` : '';
  return `\nVitrine is running at ${config.baseUrl}${processes}\n${where}\nPress Ctrl+C to stop.\n\n`;
}
