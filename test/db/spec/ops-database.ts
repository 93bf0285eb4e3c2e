// Database, client and session entity operations.
import type { ClientSession, Db, MongoClient } from 'mongodb';
import type { Doc } from './bson-values.js';
import type { EntityMap } from './entities.js';
import { parseArgs, type OpResult } from './op-args.js';
import { RunnerError } from './runner-error.js';

export async function databaseOperation(db: Db, name: string, raw: Doc | undefined, entities: EntityMap): Promise<OpResult> {
  const args = (required: readonly string[], optional: readonly string[]) => parseArgs(name, raw, entities, required, optional);
  switch (name) {
    case 'aggregate': {
      const a = args(['pipeline'], ['session', 'comment', 'batchSize', 'allowDiskUse', 'let', 'collation', 'hint', 'maxTimeMS', 'bypassDocumentValidation', 'readConcern', 'readPreference', 'writeConcern']);
      const pipeline = a.need('pipeline');
      if (!Array.isArray(pipeline)) throw new RunnerError('aggregate: pipeline must be an array');
      return { result: await db.aggregate(pipeline as Doc[], a.options()).toArray(), rootArray: true };
    }
    case 'runCommand': {
      const a = args(['command', 'commandName'], ['session', 'readPreference']);
      const command = a.needDoc('command');
      const first = Object.keys(command)[0];
      if (first !== a.needString('commandName')) throw new RunnerError(`runCommand: commandName ${a.needString('commandName')} is not the command's first key (${String(first)})`);
      return { result: await db.command(command, a.options()) };
    }
    case 'createCollection': {
      const a = args(['collection'], ['session', 'capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation', 'timeseries', 'expireAfterSeconds', 'clusteredIndex', 'changeStreamPreAndPostImages', 'encryptedFields', 'viewOn', 'pipeline', 'writeConcern', 'comment']);
      await db.createCollection(a.needString('collection'), a.options());
      return { result: undefined };
    }
    case 'dropCollection': {
      const a = args(['collection'], ['session', 'comment', 'writeConcern', 'encryptedFields']);
      return { result: await db.dropCollection(a.needString('collection'), a.options()) };
    }
    case 'listCollections': {
      const a = args([], ['session', 'comment', 'filter', 'batchSize', 'nameOnly', 'authorizedCollections']);
      const { filter, ...options } = a.options();
      return { result: await db.listCollections((filter as Doc | undefined) ?? {}, options).toArray(), rootArray: true };
    }
    case 'listCollectionNames': {
      const a = args([], ['session', 'comment', 'filter', 'batchSize']);
      const { filter, ...options } = a.options();
      const list = await db.listCollections((filter as Doc | undefined) ?? {}, { ...options, nameOnly: true }).toArray();
      return { result: list.map((c) => c.name) };
    }
    case 'modifyCollection': {
      const a = args(['collection'], ['session', 'validator', 'validationLevel', 'validationAction', 'index', 'expireAfterSeconds']);
      const { session, ...fields } = a.options();
      const options = session === undefined ? {} : { session: session as ClientSession };
      return { result: await db.command({ collMod: a.needString('collection'), ...fields }, options) };
    }
    default:
      throw new RunnerError(`unsupported database operation "${name}"`);
  }
}

export async function clientOperation(client: MongoClient, name: string, raw: Doc | undefined, entities: EntityMap): Promise<OpResult> {
  switch (name) {
    case 'listDatabases': {
      const a = parseArgs(name, raw, entities, [], ['session', 'filter', 'nameOnly', 'authorizedDatabases', 'comment']);
      const r = await client.db('admin').admin().listDatabases(a.options());
      return { result: r.databases, rootArray: true };
    }
    case 'listDatabaseNames': {
      const a = parseArgs(name, raw, entities, [], ['session', 'filter', 'comment']);
      const r = await client.db('admin').admin().listDatabases({ ...a.options(), nameOnly: true });
      return { result: r.databases.map((d) => d.name) };
    }
    case 'close':
      parseArgs(name, raw, entities, [], []);
      await client.close();
      return { result: undefined };
    default:
      throw new RunnerError(`unsupported client operation "${name}"`);
  }
}

export async function sessionOperation(session: ClientSession, name: string, raw: Doc | undefined, entities: EntityMap): Promise<OpResult> {
  switch (name) {
    case 'endSession':
      parseArgs(name, raw, entities, [], []);
      await session.endSession();
      return { result: undefined };
    case 'startTransaction': {
      const a = parseArgs(name, raw, entities, [], ['readConcern', 'writeConcern', 'readPreference', 'maxCommitTimeMS']);
      session.startTransaction(a.options());
      return { result: undefined };
    }
    case 'commitTransaction':
      parseArgs(name, raw, entities, [], []);
      await session.commitTransaction();
      return { result: undefined };
    case 'abortTransaction':
      parseArgs(name, raw, entities, [], []);
      await session.abortTransaction();
      return { result: undefined };
    default:
      throw new RunnerError(`unsupported session operation "${name}"`);
  }
}
