import { MongoClient, type CreateIndexesOptions, type Db, type IndexSpecification } from 'mongodb';

/**
 * MongoClient lifecycle and index creation. Each module's repository declares its indexes
 * (`export const xIndexes: IndexDeclaration[]`) and lists them in its AppModule; they are created
 * at boot, before the server listens (createIndex with the same spec is a no-op on a second boot).
 */
export interface IndexDeclaration {
  collection: string;
  key: IndexSpecification;
  options?: CreateIndexesOptions;
  /**
   * An index the code no longer uses (a later release replaced it): dropped at boot where it
   * exists, so a database that was created by an older release stops paying for its writes.
   */
  retired?: true;
}

const sameKey = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Database {
  readonly client: MongoClient;
  readonly db: Db;
  /** Throws when the database does not answer (used by /healthz). */
  ping(): Promise<void>;
  ensureIndexes(declarations: readonly IndexDeclaration[]): Promise<void>;
  close(): Promise<void>;
}

export interface ClientOptions {
  /** How long an operation waits for a reachable server before failing (→ 503). */
  serverSelectionTimeoutMS?: number;
  appName?: string;
}

export const DEFAULT_DB_NAME = 'vitrine';

/** The database named in the URI path (mongodb://host/shop → "shop"), else "vitrine". */
export function databaseNameFromUri(uri: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  const name = m?.[1] ? decodeURIComponent(m[1]) : '';
  return name === '' ? DEFAULT_DB_NAME : name;
}

export async function connectDatabase(uri: string, options: ClientOptions = {}): Promise<Database> {
  const client = new MongoClient(uri, {
    // Fail fast when the db is unreachable: a page should become a 503 within 2 s, not hang for 30.
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 1500,
    connectTimeoutMS: 2000,
    // Look for a server that went away every 2 s (the driver's default is 10 s): service resumes
    // within about that once the database is back, even when no request asks for it first.
    heartbeatFrequencyMS: 2000,
    appName: options.appName ?? 'vitrine',
  });
  await client.connect();
  const db = client.db(databaseNameFromUri(uri));
  return {
    client,
    db,
    async ping() {
      await db.command({ ping: 1 });
    },
    async ensureIndexes(declarations) {
      for (const d of declarations) {
        const collection = db.collection(d.collection);
        if (!d.retired) {
          await collection.createIndex(d.key, d.options ?? {});
          continue;
        }
        // A collection that does not exist yet has no indexes (listIndexes fails with NamespaceNotFound).
        const existing = await collection.indexes().catch(() => []);
        for (const index of existing) {
          if (index.name !== undefined && sameKey(index.key, d.key)) await collection.dropIndex(index.name);
        }
      }
    },
    async close() {
      await client.close();
    },
  };
}
