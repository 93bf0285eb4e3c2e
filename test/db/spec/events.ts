// Command monitoring: recording what a client sends, and test.expectEvents.
import { deserialize, serialize } from 'bson';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { describe, isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import type { ExpectedEventsForClient } from './loader.js';
import { assertMatch, MatchError, type MatchContext } from './matcher.js';

export type CommandEventType = 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';

export interface CommandRecord {
  type: CommandEventType;
  commandName: string;
  databaseName: string;
  command?: Doc;
  reply?: Doc;
  failure?: string;
  serviceId?: unknown;
  serverConnectionId?: unknown;
}

interface Recorder {
  observed: CommandRecord[];
  sent: CommandRecord[];
  recording: boolean;
}

// Command Logging and Monitoring spec, "Security": never observed unless observeSensitiveCommands.
const SENSITIVE = new Set([
  'authenticate',
  'saslstart',
  'saslcontinue',
  'getnonce',
  'createuser',
  'updateuser',
  'copydbgetnonce',
  'copydbsaslstart',
  'copydb',
]);

/**
 * A command as it went over the wire: the driver serialises `undefined` as null and turns Maps
 * into documents, so round-trip through BSON. Longs stay Long, so `$$type: "long"` is exact here.
 */
export function wireDocument(doc: unknown): Doc {
  const bytes = serialize(doc as Doc, { ignoreUndefined: false });
  return deserialize(bytes, { promoteLongs: false, promoteValues: true, promoteBuffers: false, bsonRegExp: true });
}

function isSensitive(name: string, command: Doc | undefined): boolean {
  const lower = name.toLowerCase();
  if (SENSITIVE.has(lower)) return true;
  if (lower === 'hello' || lower === 'ismaster') {
    return command === undefined || Object.keys(command).length === 0 || command.speculativeAuthenticate !== undefined;
  }
  return false;
}

export function attachCommandRecorder(
  client: MongoClient,
  target: Recorder,
  opts: { observe: Set<string>; ignore: Set<string>; observeSensitive: boolean },
): void {
  const push = (record: CommandRecord): void => {
    if (!target.recording) return;
    target.sent.push(record);
    if (!opts.observe.has(record.type)) return;
    if (record.commandName === 'configureFailPoint' || opts.ignore.has(record.commandName)) return;
    if (!opts.observeSensitive && isSensitive(record.commandName, record.command)) return;
    target.observed.push(record);
  };
  client.on('commandStarted', (e: CommandStartedEvent) => {
    push({
      type: 'commandStartedEvent',
      commandName: e.commandName,
      databaseName: e.databaseName,
      command: wireDocument(e.command),
      serviceId: e.serviceId,
      serverConnectionId: e.serverConnectionId,
    });
  });
  client.on('commandSucceeded', (e: CommandSucceededEvent) => {
    push({
      type: 'commandSucceededEvent',
      commandName: e.commandName,
      databaseName: e.databaseName,
      reply: isDocument(e.reply) ? wireDocument(e.reply) : {},
      serviceId: e.serviceId,
      serverConnectionId: e.serverConnectionId,
    });
  });
  client.on('commandFailed', (e: CommandFailedEvent) => {
    push({
      type: 'commandFailedEvent',
      commandName: e.commandName,
      databaseName: e.databaseName,
      failure: e.failure instanceof Error ? e.failure.message : String(e.failure),
      serviceId: e.serviceId,
      serverConnectionId: e.serverConnectionId,
    });
  });
}

const EVENT_FIELDS: Record<CommandEventType, Set<string>> = {
  commandStartedEvent: new Set(['command', 'commandName', 'databaseName', 'hasServiceId', 'hasServerConnectionId']),
  commandSucceededEvent: new Set(['reply', 'commandName', 'databaseName', 'hasServiceId', 'hasServerConnectionId']),
  commandFailedEvent: new Set(['commandName', 'databaseName', 'hasServiceId', 'hasServerConnectionId']),
};

/** One expected event against one observed event; throws MatchError (or Error for a malformed expectation). */
export function assertEvent(expected: Doc, actual: CommandRecord, ctx: MatchContext, path: string): void {
  const keys = Object.keys(expected);
  if (keys.length !== 1) throw new Error(`${path}: an expected event needs exactly one key`);
  const type = keys[0] as CommandEventType;
  const fields = EVENT_FIELDS[type];
  if (fields === undefined) throw new Error(`${path}: unsupported expected event type ${keys[0]}`);
  if (actual.type !== type) {
    throw new MatchError(path, `expected ${type}, observed ${actual.type} for ${actual.commandName}`);
  }
  const body = expected[type];
  if (!isDocument(body) || body instanceof Map) throw new Error(`${path}: event assertions must be a document`);
  for (const [key, want] of Object.entries(body)) {
    if (!fields.has(key)) throw new Error(`${path}: unsupported assertion ${type}.${key}`);
    const at = `${path}.${type}.${key}`;
    if (key === 'command') assertMatch(want, actual.command, ctx, true, at);
    else if (key === 'reply') assertMatch(want, actual.reply, ctx, true, at);
    else if (key === 'commandName' || key === 'databaseName') {
      if (actual[key] !== want) throw new MatchError(at, `expected ${String(want)}, observed ${actual[key]}`);
    } else if (key === 'hasServiceId') {
      const has = actual.serviceId != null && String(actual.serviceId) !== '000000000000000000000000';
      if (has !== want) throw new MatchError(at, `expected hasServiceId ${String(want)}`);
    } else if (key === 'hasServerConnectionId') {
      const id = actual.serverConnectionId;
      const has = id != null && Number(id) > 0;
      if (has !== want) throw new MatchError(at, `expected hasServerConnectionId ${String(want)}, observed ${String(id)}`);
    }
  }
}

export function assertExpectedEvents(
  spec: ExpectedEventsForClient,
  observed: CommandRecord[],
  ctx: MatchContext,
): void {
  const eventType = spec.eventType ?? 'command';
  if (eventType !== 'command') throw new Error(`expectEvents eventType "${eventType}" is not supported by this runner`);
  const path = `expectEvents[${spec.client}]`;
  const expected = spec.events;
  const tooFew = observed.length < expected.length;
  const tooMany = !spec.ignoreExtraEvents && observed.length > expected.length;
  if (tooFew || tooMany) {
    throw new MatchError(
      path,
      `expected ${expected.length} events${spec.ignoreExtraEvents ? ' (or more)' : ''}, observed ${observed.length}: ${summarize(observed)}`,
    );
  }
  expected.forEach((e, i) => assertEvent(e, observed[i]!, ctx, `${path}[${i}]`));
}

export function summarize(records: CommandRecord[]): string {
  return records
    .map((r) => {
      if (r.type === 'commandStartedEvent') return `started ${r.commandName} ${describe(r.command, 1000)}`;
      if (r.type === 'commandFailedEvent') return `failed ${r.commandName}: ${r.failure ?? ''}`;
      return `succeeded ${r.commandName} ${describe(r.reply, 1000)}`;
    })
    .join(' | ');
}
