/** Handshake and server-information commands: a standalone mongod 7.0 as the driver expects it. */
import os from 'node:os';
import { fail } from '../errors.js';
import type { Doc } from '../storage/types.js';
import type { Handler } from './context.js';

export const SERVER_VERSION = '7.0.0';
const startedAt = Date.now();

export const hello: Handler = (cmd, _db, ctx) => {
  const reply: Doc = {
    helloOk: true,
    ismaster: true,
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  if ('hello' in cmd) {
    delete reply.ismaster;
    return { helloOk: true, isWritablePrimary: true, ...reply };
  }
  return reply;
};

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16777216,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

export const endSessions: Handler = () => ({ ok: 1 });

export const whatsmyuri: Handler = (_cmd, _db, ctx) => ({ you: ctx.clientAddress, ok: 1 });

export const connectionStatus: Handler = () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 });

export const getParameter: Handler = (cmd) => {
  if (cmd.featureCompatibilityVersion !== undefined) return { featureCompatibilityVersion: { version: '7.0' }, ok: 1 };
  return { ok: 1 };
};

export const getCmdLineOpts: Handler = () => ({ argv: ['mongod'], parsed: {}, ok: 1 });

export const hostInfo: Handler = () => ({
  system: { currentTime: new Date(), hostname: os.hostname(), cpuArch: os.arch(), numCores: os.cpus().length, memSizeMB: Math.round(os.totalmem() / 1048576) },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  ok: 1,
});

export const serverStatus: Handler = () => ({
  host: os.hostname(),
  version: SERVER_VERSION,
  process: 'mongod',
  pid: process.pid,
  uptime: Math.floor((Date.now() - startedAt) / 1000),
  uptimeMillis: Date.now() - startedAt,
  localTime: new Date(),
  ok: 1,
});

/** Standalone mongod refuses transactions with exactly this error. */
export function refuseTransaction(): never {
  fail('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
}

export const transactionCommand: Handler = () => refuseTransaction();
