import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { collectIndexes } from '../../src/app.js';
import { modules } from '../../src/modules/index.js';

let server: EmbeddedMongo;
let database: Database;

beforeAll(async () => {
  server = await startEmbeddedMongo();
  database = await connectDatabase(server.uri);
}, 30_000);

afterAll(async () => {
  await database?.close();
  await server?.stop();
});

const keysOf = async (collection: string) => (await database.db.collection(collection).indexes()).map((i) => JSON.stringify(i.key));

describe('indexes at boot', () => {
  it('drops an index a previous release created and the code retired, and creates the declared ones', async () => {
    // A database made by a release that sorted the admin list on the raw English title.
    await database.db.collection('products').createIndex({ 'title.en': 1, _id: 1 });
    expect(await keysOf('products')).toContain(JSON.stringify({ 'title.en': 1, _id: 1 }));
    const declared = collectIndexes(modules);
    const retired = declared.filter((d) => d.retired);
    expect(retired.map((d) => JSON.stringify(d.key))).toContain(JSON.stringify({ 'title.en': 1, _id: 1 }));

    await database.ensureIndexes(declared);
    const keys = await keysOf('products');
    expect(keys).not.toContain(JSON.stringify({ 'title.en': 1, _id: 1 }));
    expect(keys).toContain(JSON.stringify({ 'sortTitles.en': 1, _id: 1 }));
    // A second boot changes nothing, and a retired index on a collection that does not exist is no error.
    await database.ensureIndexes(declared);
    expect(await keysOf('products')).toEqual(keys);
    await expect(database.ensureIndexes([{ collection: 'never_created', key: { a: 1 }, retired: true }])).resolves.toBeUndefined();
  });
});
