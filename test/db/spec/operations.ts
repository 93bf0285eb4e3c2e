// Executing one operation: dispatch on the entity type, then expectResult / expectError /
// saveResultAsEntity (unified-test-format.md, "Executing an Operation").
import type { MongoClient } from 'mongodb';
import type { Doc } from './bson-values.js';
import type { EntityMap } from './entities.js';
import { assertExpectedError, describeError } from './expect-error.js';
import type { Operation } from './loader.js';
import { assertMatch, assertMatchRootArray, MatchError } from './matcher.js';
import { parseArgs, SkipTest, type OpResult } from './op-args.js';
import { collectionOperation } from './ops-collection.js';
import { clientOperation, databaseOperation, sessionOperation } from './ops-database.js';
import { bucketOperation } from './ops-gridfs.js';
import { RunnerError } from './runner-error.js';

export interface RunnerEnv {
  /** The internal client: setup, outcome and assertCollectionExists-style checks. */
  internal: MongoClient;
}

async function dispatch(op: Operation, entities: EntityMap, env: RunnerEnv): Promise<OpResult> {
  if (op.object === 'testRunner') return testRunnerOperation(op, entities, env);
  const kind = entities.kindOf(op.object);
  switch (kind) {
    case 'collection':
      return collectionOperation(entities.get(op.object, 'collection').collection, op.name, op.arguments, entities);
    case 'database':
      return databaseOperation(entities.get(op.object, 'database').db, op.name, op.arguments, entities);
    case 'client':
      return clientOperation(entities.get(op.object, 'client').client, op.name, op.arguments, entities);
    case 'session':
      return sessionOperation(entities.get(op.object, 'session').session, op.name, op.arguments, entities);
    case 'bucket':
      return bucketOperation(entities.get(op.object, 'bucket').bucket, op.name, op.arguments, entities);
    default:
      throw new RunnerError(`entity "${op.object}" (${kind}) has no operations`);
  }
}

export async function executeOperation(op: Operation, index: number, entities: EntityMap, env: RunnerEnv): Promise<void> {
  const path = `operation[${index}] ${op.name} on ${op.object}`;
  if (op.expectError !== undefined && (op.expectResult !== undefined || op.saveResultAsEntity !== undefined)) {
    throw new RunnerError(`${path}: expectError is exclusive with expectResult and saveResultAsEntity`);
  }
  for (const client of entities.clients()) client.sent = [];
  let outcome: OpResult | undefined;
  let error: unknown;
  let threw = false;
  try {
    outcome = await dispatch(op, entities, env);
  } catch (e) {
    if (e instanceof SkipTest || e instanceof RunnerError || e instanceof MatchError) throw e;
    error = e;
    threw = true;
  }
  if (op.ignoreResultAndError === true) return;
  if (op.expectError !== undefined) {
    if (!threw) throw new MatchError(path, `expected an error, the operation succeeded with ${describeResult(outcome)}`);
    assertExpectedError(op.expectError, error, entities, path);
    return;
  }
  if (threw) {
    throw new MatchError(path, `unexpected error: ${describeError(error)}`);
  }
  const result = outcome?.result;
  if (op.expectResult !== undefined) {
    if (outcome?.rootArray === true) assertMatchRootArray(op.expectResult, result, entities, `${path} result`);
    else assertMatch(op.expectResult, result, entities, true, `${path} result`);
  }
  if (op.saveResultAsEntity !== undefined) entities.saveValue(op.saveResultAsEntity, result);
}

function describeResult(outcome: OpResult | undefined): string {
  if (outcome === undefined || outcome.result === undefined) return 'no result';
  try {
    return JSON.stringify(outcome.result)?.slice(0, 200) ?? 'a result';
  } catch {
    return 'a result';
  }
}

async function testRunnerOperation(op: Operation, entities: EntityMap, env: RunnerEnv): Promise<OpResult> {
  const args = (required: string[], optional: string[] = []) => parseArgs(op.name, op.arguments, entities, required, optional);
  const sessionOf = (name: unknown) => entities.get(String(name), 'session').session;
  switch (op.name) {
    case 'failPoint':
    case 'targetedFailPoint':
      throw new SkipTest('failpoints not supported');
    case 'assertSessionDirty':
    case 'assertSessionNotDirty': {
      const session = sessionOf(args(['session']).need('session'));
      const dirty = session.serverSession.isDirty;
      if (dirty !== (op.name === 'assertSessionDirty')) throw new MatchError(op.name, `session is ${dirty ? '' : 'not '}dirty`);
      return { result: undefined };
    }
    case 'assertSameLsidOnLastTwoCommands':
    case 'assertDifferentLsidOnLastTwoCommands': {
      const client = entities.get(String(args(['client']).need('client')), 'client');
      const started = client.observed.filter((e) => e.type === 'commandStartedEvent');
      if (started.length < 2) throw new MatchError(op.name, `needs two observed commands, got ${started.length}`);
      const [a, b] = started.slice(-2).map((e) => e.command?.lsid);
      if (a === undefined || b === undefined) throw new MatchError(op.name, 'a command has no lsid');
      let same = true;
      try {
        assertMatch(a, b, entities, false);
      } catch (e) {
        if (!(e instanceof MatchError)) throw e;
        same = false;
      }
      if (same !== (op.name === 'assertSameLsidOnLastTwoCommands')) throw new MatchError(op.name, `lsids are ${same ? 'equal' : 'different'}`);
      return { result: undefined };
    }
    case 'assertSessionTransactionState': {
      const a = args(['session', 'state']);
      const state = String((sessionOf(a.need('session')) as unknown as { transaction: { state: unknown } }).transaction.state);
      const want = a.needString('state');
      // Driver states are TRANSACTION_IN_PROGRESS etc.; the format uses in_progress etc.
      const normalized = state.toLowerCase().replace(/^transaction_/, '').replace(/^no_transaction$/, 'none').replace(/_empty$/, '');
      if (normalized !== want) throw new MatchError(op.name, `expected ${want}, session is ${state}`);
      return { result: undefined };
    }
    case 'assertSessionPinned':
    case 'assertSessionUnpinned': {
      const pinned = sessionOf(args(['session']).need('session')).isPinned;
      if (pinned !== (op.name === 'assertSessionPinned')) throw new MatchError(op.name, `session is ${pinned ? '' : 'not '}pinned`);
      return { result: undefined };
    }
    case 'assertCollectionExists':
    case 'assertCollectionNotExists': {
      const a = args(['databaseName', 'collectionName']);
      const list = await env.internal.db(a.needString('databaseName')).listCollections({ name: a.needString('collectionName') }).toArray();
      if ((list.length > 0) !== (op.name === 'assertCollectionExists')) throw new MatchError(op.name, `collection ${list.length > 0 ? 'exists' : 'does not exist'}`);
      return { result: undefined };
    }
    case 'assertIndexExists':
    case 'assertIndexNotExists': {
      const a = args(['databaseName', 'collectionName', 'indexName']);
      const coll = env.internal.db(a.needString('databaseName')).collection(a.needString('collectionName'));
      const indexes: Doc[] = await coll.listIndexes().toArray().catch(() => []);
      const found = indexes.some((ix) => ix.name === a.needString('indexName'));
      if (found !== (op.name === 'assertIndexExists')) throw new MatchError(op.name, `index ${found ? 'exists' : 'does not exist'}`);
      return { result: undefined };
    }
    case 'createEntities': {
      const list = args(['entities']).need('entities');
      if (!Array.isArray(list)) throw new RunnerError('createEntities: entities must be an array');
      for (const spec of list) await entities.create(spec as Doc);
      for (const client of entities.clients()) client.recording = true;
      return { result: undefined };
    }
    case 'wait': {
      const ms = Number(args(['ms']).need('ms'));
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { result: undefined };
    }
    default:
      throw new RunnerError(`unsupported testRunner operation "${op.name}"`);
  }
}
