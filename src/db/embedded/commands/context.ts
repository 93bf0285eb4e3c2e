/** What a command handler receives, and small helpers for reading command fields. */
import type { Document } from 'bson';
import { Long } from 'bson';
import { fail } from '../errors.js';
import type { CursorRegistry } from '../storage/cursors.js';
import type { Engine } from '../storage/engine.js';
import type { Doc, Logger } from '../storage/types.js';

export interface CommandContext {
  engine: Engine;
  cursors: CursorRegistry;
  connectionId: number;
  /** Size of the request message: documents cannot be larger, so small messages skip size checks. */
  messageLength: number;
  clientAddress: string;
  logger: Logger;
}

/** A reply document, or one already serialised (cursor replies). */
export type Reply = Document | Uint8Array;

export type Handler = (cmd: Doc, db: string, ctx: CommandContext) => Reply | Promise<Reply>;

export function isPlainObject(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !('_bsontype' in v);
}

/** An optional sub-document field; a wrong type is a TypeMismatch, as mongod's IDL parser says. */
export function optDoc(cmd: Doc, field: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) fail('TypeMismatch', `BSON field '${field}' is the wrong type '${typeName(v)}', expected type 'object'`);
  return v;
}

/** An optional integer field (int, long or integral double). */
export function optInt(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  const n = v instanceof Long ? v.toNumber() : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail('TypeMismatch', `BSON field '${field}' is the wrong type '${typeName(v)}', expected types '[long, int, decimal, double]'`);
  return Math.trunc(n);
}

export function nonNegative(cmd: Doc, field: string): number | undefined {
  const n = optInt(cmd, field);
  if (n !== undefined && n < 0) fail('BadValue', `BSON field '${field}' value must be >= 0, actual value '${n}'`, undefined, 51024);
  return n;
}

/** The collection name a command is addressed to (its first field's value). */
export function collectionName(cmd: Doc, command: string): string {
  const v = cmd[command];
  if (typeof v !== 'string') fail('InvalidNamespace', `collection name has invalid type ${typeName(v)}`);
  if (v === '') fail('InvalidNamespace', `Invalid namespace specified '${String(cmd.$db ?? '')}.'`);
  return v;
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (v instanceof Long) return 'long';
  if (typeof v === 'object' && '_bsontype' in v) return String((v as { _bsontype: unknown })._bsontype).toLowerCase();
  return typeof v;
}
