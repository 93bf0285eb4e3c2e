// Argument handling shared by all entity operations: unknown arguments are an error (spec,
// "Executing an Operation"), `session` is resolved to the session entity.
import type { ClientSession } from 'mongodb';
import { isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import { commonOptions, type EntityMap } from './entities.js';
import { RunnerError } from './runner-error.js';

export interface OpResult {
  result: unknown;
  /** find/aggregate-like results: an array whose elements are root-level documents. */
  rootArray?: boolean;
}

export class SkipTest extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipTest';
  }
}

export interface Args {
  /** Required argument; throws when missing. */
  need(name: string): unknown;
  needDoc(name: string): Doc;
  needString(name: string): string;
  /** Driver options: every remaining allowed argument (with `session` resolved). */
  options(): Doc;
}

/**
 * `required` are taken one by one with need(); `optional` end up in options(). Any other key in
 * the operation's arguments makes the operation fail before anything is sent.
 */
export function parseArgs(
  op: string,
  raw: Doc | undefined,
  entities: EntityMap,
  required: readonly string[],
  optional: readonly string[],
): Args {
  const args = raw ?? {};
  const allowed = new Set([...required, ...optional]);
  for (const key of Object.keys(args)) {
    if (!allowed.has(key)) throw new RunnerError(`${op}: unsupported argument "${key}"`);
  }
  for (const key of required) {
    if (args[key] === undefined) throw new RunnerError(`${op}: missing required argument "${key}"`);
  }
  return {
    need: (name) => args[name],
    needDoc(name) {
      const v = args[name];
      if (!isDocument(v) || v instanceof Map) throw new RunnerError(`${op}: argument "${name}" must be a document`);
      return v;
    },
    needString(name) {
      const v = args[name];
      if (typeof v !== 'string') throw new RunnerError(`${op}: argument "${name}" must be a string`);
      return v;
    },
    options() {
      const out: Doc = {};
      for (const key of optional) {
        if (args[key] === undefined) continue;
        out[key] = key === 'session' ? resolveSession(entities, args[key]) : args[key];
      }
      return commonOptions(out);
    },
  };
}

export function resolveSession(entities: EntityMap, name: unknown): ClientSession {
  if (typeof name !== 'string') throw new RunnerError('session argument must be an entity name');
  return entities.get(name, 'session').session;
}
