import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedMongoThread } from './embedded/thread.js';
import { connectDatabase, type Database } from './client.js';

/**
 * The one place that decides which database the shop or a CLI tool talks to:
 *  1. MONGODB_URI set → that server.
 *  2. Else DATA_DIR/db.uri exists and the server named there answers → a running shop owns the
 *     embedded database (it holds the data dir lock): share it.
 *  3. Else start the embedded server on DATA_DIR/db ourselves, on a thread of its own
 *     (embedded/thread.ts: its work runs beside the requests). The shop ('server' role) publishes
 *     its URI in DATA_DIR/db.uri so CLI tools can find it, and removes the file on close.
 */

export type DatabaseRole = 'server' | 'cli';

export interface OpenOptions {
  mongodbUri: string | undefined;
  dataDir: string;
  role: DatabaseRole;
  serverSelectionTimeoutMS?: number;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export type DatabaseSource = 'external' | 'embedded' | 'shared-embedded';

export interface OpenedDatabase extends Database {
  readonly uri: string;
  readonly source: DatabaseSource;
  /** Folder of the embedded data when this process started the embedded server. */
  readonly dataPath: string | undefined;
}

export function uriFilePath(dataDir: string): string {
  return join(dataDir, 'db.uri');
}

function readUriFile(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return /^mongodb:\/\//.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

async function tryShared(uri: string): Promise<Database | undefined> {
  let database: Database | undefined;
  try {
    database = await connectDatabase(uri, { serverSelectionTimeoutMS: 1000, appName: 'vitrine-cli' });
    await database.ping();
    return database;
  } catch {
    await database?.close().catch(() => undefined);
    return undefined;
  }
}

export async function openDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  const timeout = options.serverSelectionTimeoutMS;
  if (options.mongodbUri !== undefined) {
    const database = await connectDatabase(options.mongodbUri, { serverSelectionTimeoutMS: timeout });
    return { ...database, uri: options.mongodbUri, source: 'external', dataPath: undefined };
  }

  const uriFile = uriFilePath(options.dataDir);
  const publishedUri = readUriFile(uriFile);
  if (publishedUri !== undefined) {
    const shared = await tryShared(publishedUri);
    if (shared) {
      options.logger?.info({ uri: publishedUri }, 'using the embedded database of the running shop');
      return { ...shared, uri: publishedUri, source: 'shared-embedded', dataPath: undefined };
    }
    options.logger?.warn({ file: uriFile }, 'ignoring a stale db.uri (no server answers there)');
  }

  const dataPath = join(options.dataDir, 'db');
  mkdirSync(dataPath, { recursive: true });
  let embedded: Awaited<ReturnType<typeof startEmbeddedMongoThread>>;
  try {
    embedded = await startEmbeddedMongoThread({ dbPath: dataPath });
  } catch (error) {
    throw new Error(
      `Could not start the embedded database in ${dataPath}. If the shop is running, it holds this folder ` +
        `and publishes its address in ${uriFile}; otherwise check the folder's permissions.`,
      { cause: error },
    );
  }
  let database: Database;
  try {
    database = await connectDatabase(embedded.uri, { serverSelectionTimeoutMS: timeout });
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const publish = options.role === 'server';
  if (publish) writeFileSync(uriFile, embedded.uri + '\n', { mode: 0o600 });

  return {
    ...database,
    uri: embedded.uri,
    source: 'embedded',
    dataPath,
    async close() {
      try {
        await database.close();
      } finally {
        if (publish && readUriFile(uriFile) === embedded.uri) rmSync(uriFile, { force: true });
        await embedded.stop();
      }
    },
  };
}
