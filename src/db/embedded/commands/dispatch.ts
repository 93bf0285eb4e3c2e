/**
 * Command dispatch: finds the handler by the command's first field, refuses transactions
 * (standalone), and turns errors into `{ ok: 0, errmsg, code, codeName }`.
 */
import { CommandError } from '../errors.js';
import type { Doc } from '../storage/types.js';
import { aggregate } from './aggregate.js';
import type { CommandContext, Handler, Reply } from './context.js';
import { findAndModify } from './find-and-modify.js';
import { createIndexes, dropIndexes, listIndexes } from './indexes.js';
import { collStats, create, dbStats, drop, dropDatabase, listCollections, listDatabases, renameCollection } from './namespaces.js';
import { count, distinct, find, getMore, killCursors } from './read.js';
import * as info from './server-info.js';
import { deleteCommand, insert, update } from './write.js';

const ok: Handler = () => ({ ok: 1 });

const handlers = new Map<string, Handler>(
  Object.entries({
    hello: info.hello,
    isMaster: info.hello,
    ismaster: info.hello,
    ping: info.ping,
    buildInfo: info.buildInfo,
    buildinfo: info.buildInfo,
    endSessions: info.endSessions,
    killAllSessions: ok,
    killSessions: ok,
    refreshSessions: ok,
    whatsmyuri: info.whatsmyuri,
    connectionStatus: info.connectionStatus,
    getParameter: info.getParameter,
    getCmdLineOpts: info.getCmdLineOpts,
    hostInfo: info.hostInfo,
    serverStatus: info.serverStatus,
    getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
    startTransaction: info.transactionCommand,
    commitTransaction: info.transactionCommand,
    abortTransaction: info.transactionCommand,
    insert,
    update,
    delete: deleteCommand,
    findAndModify,
    findandmodify: findAndModify,
    find,
    getMore,
    killCursors,
    count,
    distinct,
    aggregate,
    create,
    drop,
    dropDatabase,
    listDatabases,
    listCollections,
    renameCollection,
    collStats,
    dbStats,
    createIndexes,
    listIndexes,
    dropIndexes,
    deleteIndexes: dropIndexes,
  }),
);

function isSimpleCollation(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as { locale?: unknown }).locale === 'simple';
}

/** Runs one command; never throws (errors become error replies). */
export async function dispatch(cmd: Doc, db: string, ctx: CommandContext): Promise<Reply> {
  const name = Object.keys(cmd)[0];
  try {
    const handler = name === undefined ? undefined : handlers.get(name);
    if (!handler) return new CommandError('CommandNotFound', `no such command: '${name ?? ''}'`).toReply();
    // A standalone has no transactions: mongod rejects any command that carries one.
    if (cmd.txnNumber !== undefined || cmd.autocommit !== undefined || cmd.startTransaction !== undefined) info.refuseTransaction();
    // Only binary string comparison exists here: a locale would silently change results.
    if (cmd.collation !== undefined && !isSimpleCollation(cmd.collation)) {
      throw new CommandError('NotImplemented', 'collation is not supported by the embedded server (only { locale: "simple" })');
    }
    return await handler(cmd, db, ctx);
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    ctx.logger.error('embedded mongo: command failed', { command: name, err: err instanceof Error ? err.stack : String(err) });
    return { ok: 0, errmsg: err instanceof Error ? err.message : String(err), code: 1, codeName: 'InternalError' };
  }
}
