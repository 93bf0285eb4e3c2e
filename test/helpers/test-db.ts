import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { connectDatabase, type Database } from '../../src/db/client.js';

/**
 * An in-memory embedded database for one test file. `stopServer()` / `restartServer()` simulate the
 * database going away and coming back on the same port (the client reconnects by itself).
 */
export interface TestDb {
  uri: string;
  database: Database;
  stopServer(): Promise<void>;
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestDb(): Promise<TestDb> {
  let server: EmbeddedMongo | undefined = await startEmbeddedMongo();
  const { uri, port } = server;
  const database = await connectDatabase(uri, { serverSelectionTimeoutMS: 1500 });
  return {
    uri,
    database,
    async stopServer() {
      await server?.stop();
      server = undefined;
    },
    async restartServer() {
      server ??= await startEmbeddedMongo({ port });
    },
    async close() {
      await database.close();
      await server?.stop();
      server = undefined;
    },
  };
}
