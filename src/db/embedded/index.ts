/**
 * startEmbeddedMongo: the zero-setup MongoDB-compatible server used in development and tests.
 * Loopback only unless `allowRemote` (it has no authentication).
 */
import { WireServer } from './server.js';
import { CursorRegistry } from './storage/cursors.js';
import { Engine } from './storage/engine.js';
import { memoryPersistence, type PersistenceLike } from './storage/memory-persistence.js';
import type { Logger } from './storage/types.js';

export type { Logger } from './storage/types.js';

export interface EmbeddedMongoOptions {
  /** Directory for the journal and snapshots; omitted = in memory. */
  dbPath?: string;
  /** 0 = any free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Required to listen on a non-loopback address: the server has no authentication. */
  allowRemote?: boolean;
  logger?: Logger;
  /** How often expired TTL documents are removed (default 5 s). */
  ttlSweepIntervalMs?: number;
  /** Idle time after which a cursor is dropped (default 10 minutes). */
  cursorTimeoutMs?: number;
  /** How often the journal is checked for compaction (default 30 s). */
  compactIntervalMs?: number;
  /** Journal size past which that check writes a snapshot and cuts the journal (default 64 MiB). */
  compactAfterBytes?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  host: string;
  stop(): Promise<void>;
}

const silentInfo: Logger = {
  info: () => {},
  warn: (msg, obj) => console.warn(msg, obj ?? ''),
  error: (msg, obj) => console.error(msg, obj ?? ''),
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}

async function openStore(options: EmbeddedMongoOptions, logger: Logger): Promise<PersistenceLike> {
  const { dbPath, compactAfterBytes } = options;
  if (dbPath === undefined) return memoryPersistence();
  const { openPersistence } = await import('./persistence/index.js');
  return openPersistence({ dbPath, logger, compactAfterBytes });
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentInfo;
  if (!isLoopback(host) && options.allowRemote !== true) {
    throw new Error(
      `Refusing to listen on ${host}: the embedded MongoDB server has no authentication, so it only listens on loopback addresses. ` +
        'Pass allowRemote: true (--allow-remote) if you really want to expose it.',
    );
  }
  const persistence = await openStore(options, logger);
  let engine: Engine;
  try {
    engine = Engine.fromState(await persistence.load(), persistence);
  } catch (err) {
    await persistence.close();
    throw err;
  }
  const cursors = new CursorRegistry(options.cursorTimeoutMs);
  const server = new WireServer({ engine, cursors, logger });
  let address: { port: number; host: string };
  try {
    address = await server.listen(options.port ?? 0, host);
  } catch (err) {
    cursors.stop();
    await persistence.close();
    throw err;
  }
  const getState = () => engine.getState();
  const ttlTimer = setInterval(() => {
    engine.sweepTtl().catch((err: unknown) => logger.error('embedded mongo: TTL sweep failed', { err: String(err) }));
  }, options.ttlSweepIntervalMs ?? 5000);
  ttlTimer.unref();
  const compactTimer = setInterval(() => {
    persistence.compactIfNeeded(getState).catch((err: unknown) => logger.error('embedded mongo: compaction failed', { err: String(err) }));
  }, options.compactIntervalMs ?? 30_000);
  compactTimer.unref();
  const uriHost = address.host.includes(':') ? `[${address.host}]` : address.host;
  logger.info(`embedded mongo listening on ${uriHost}:${address.port}`, { dbPath: options.dbPath ?? null });
  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${uriHost}:${address.port}/`,
    port: address.port,
    host: address.host,
    stop() {
      stopped ??= (async () => {
        clearInterval(ttlTimer);
        clearInterval(compactTimer);
        await server.close();
        cursors.stop();
        await persistence.close(getState);
      })();
      return stopped;
    },
  };
}
