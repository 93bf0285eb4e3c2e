/**
 * Field update operators: $set, $setOnInsert, $unset, $inc, $mul, $min, $max,
 * $rename, $currentDate. They mutate the working copy of the document.
 */
import { Long, Timestamp } from 'bson';
import { fail } from '../errors.js';
import { bsonTypeName, compareValues, deepClone, isPlainObject } from './compare.js';
import { arith, isNumeric, zeroLike } from './numeric.js';
import { describe, getPath, setPath, splitPath, unsetPath } from './paths.js';

export interface FieldOpContext {
  now: Date;
  /** `{_id: ...}` of the document, for error messages. */
  idText: string;
}

export function validateArithmeticArg(op: string, path: string, arg: unknown): void {
  if (!isNumeric(arg)) {
    const verb = op === '$inc' ? 'increment' : 'multiply';
    fail('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${describe(arg)}}`);
  }
}

function applyArith(doc: Record<string, unknown>, parts: string[], arg: unknown, op: '$inc' | '$mul', ctx: FieldOpContext): void {
  const cur = getPath(doc, parts);
  if (cur === undefined) {
    setPath(doc, parts, op === '$inc' ? arg : zeroLike(arg));
    return;
  }
  if (!isNumeric(cur)) {
    fail('TypeMismatch', `Cannot apply ${op} to a value of non-numeric type. ${ctx.idText} has the field '${parts[parts.length - 1]}' of non-numeric type ${bsonTypeName(cur)}`);
  }
  const r = arith(cur, arg, op === '$inc' ? 'add' : 'mul');
  if (r === undefined) {
    const shown = (cur as { _bsontype?: string })._bsontype === 'Long' ? `(NumberLong)${(cur as Long).toString()}` : describe(cur);
    fail('BadValue', `Failed to apply ${op} operations to current value (${shown}) for document ${ctx.idText}`);
  }
  setPath(doc, parts, r);
}

function applyMinMax(doc: Record<string, unknown>, parts: string[], arg: unknown, op: '$min' | '$max'): void {
  const cur = getPath(doc, parts);
  if (cur !== undefined) {
    const c = compareValues(arg, cur);
    if (op === '$min' ? c >= 0 : c <= 0) return;
  }
  setPath(doc, parts, deepClone(arg));
}

function arrayAncestor(doc: Record<string, unknown>, parts: string[]): string | undefined {
  for (let i = 1; i < parts.length; i++) {
    if (Array.isArray(getPath(doc, parts.slice(0, i)))) return parts.slice(0, i).join('.');
  }
  return undefined;
}

function applyRename(doc: Record<string, unknown>, parts: string[], to: string): void {
  const from = parts.join('.');
  const badSource = arrayAncestor(doc, parts);
  if (badSource !== undefined) {
    fail('BadValue', `The source field cannot be an array element, '${from}' in doc with ${badSource}: ${describe(getPath(doc, splitPath(badSource)))} has an array field called: ${badSource}`);
  }
  const value = getPath(doc, parts);
  if (value === undefined) return;
  const toParts = splitPath(to);
  const badDest = arrayAncestor(doc, toParts);
  if (badDest !== undefined) {
    fail('BadValue', `The destination field cannot be an array element, '${to}' in doc with ${badDest}: ${describe(getPath(doc, splitPath(badDest)))} has an array field called: ${badDest}`);
  }
  unsetPath(doc, parts);
  setPath(doc, toParts, value);
}

export function validateCurrentDateArg(path: string, arg: unknown): void {
  if (typeof arg === 'boolean') return;
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length === 1 && keys[0] === '$type' && (arg.$type === 'date' || arg.$type === 'timestamp')) return;
    if (keys.some((k) => k !== '$type')) fail('BadValue', `Unrecognized $currentDate option: ${keys.find((k) => k !== '$type')}`);
    fail('BadValue', "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
  }
  fail('BadValue', `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
}

function applyCurrentDate(doc: Record<string, unknown>, parts: string[], arg: unknown, ctx: FieldOpContext): void {
  const ts = isPlainObject(arg) && arg.$type === 'timestamp';
  const ms = ctx.now.getTime();
  setPath(doc, parts, ts ? new Timestamp({ t: Math.floor(ms / 1000), i: 1 }) : new Date(ms));
}

/** Applies one field operator at a concrete (already resolved) path. */
export function applyFieldOperator(op: string, doc: Record<string, unknown>, parts: string[], arg: unknown, ctx: FieldOpContext): void {
  switch (op) {
    case '$set': case '$setOnInsert': setPath(doc, parts, deepClone(arg)); return;
    case '$unset': unsetPath(doc, parts); return;
    case '$inc': case '$mul': applyArith(doc, parts, arg, op, ctx); return;
    case '$min': case '$max': applyMinMax(doc, parts, arg, op); return;
    case '$rename': applyRename(doc, parts, arg as string); return;
    case '$currentDate': applyCurrentDate(doc, parts, arg, ctx); return;
    default: fail('InternalError', `not a field operator: ${op}`);
  }
}
