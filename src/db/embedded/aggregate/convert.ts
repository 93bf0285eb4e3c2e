/** $convert and its shorthands ($toInt, $toString, …), plus $type and $isNumber. */
import { Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { fail } from '../errors.js';
import { bsonTypeName } from '../query/compare.js';
import { evalArgs, evaluate, isNullish, objectArgs, typeNameForError, type EvalContext, type OperatorFn } from './expr-core.js';
import { isNumeric, numKind, toNumber } from './numbers.js';
import { parseDateString } from './date-parse.js';

const TYPE_CODES: Record<number, string> = { 1: 'double', 2: 'string', 7: 'objectId', 8: 'bool', 9: 'date', 16: 'int', 18: 'long', 19: 'decimal' };
const TARGETS = new Set(Object.values(TYPE_CODES));

function conversionFailure(msg: string): never {
  return fail('ConversionFailure', msg, undefined, 241);
}

function unsupported(v: unknown, to: string): never {
  return conversionFailure(`Unsupported conversion from ${typeNameForError(v)} to ${to} in $convert with no onError value`);
}

function parseNumberString(s: string, to: string): number {
  const t = s.trim() === s ? s : '';
  const ok = to === 'double' || to === 'decimal'
    ? /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?(inf(inity)?|nan)$/i.test(t)
    : /^[+-]?\d+$/.test(t);
  if (!ok) conversionFailure(`Failed to parse number '${s}' in $convert with no onError value: Did not consume whole string.`);
  if (/^[+-]?inf/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/nan/i.test(t)) return NaN;
  return Number(t);
}

function toIntegral(v: unknown, to: 'int' | 'long'): number {
  let n: number;
  if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (typeof v === 'string') n = parseNumberString(v, to);
  else if (isNumeric(v)) n = toNumber(v);
  else if (v instanceof Date && to === 'long') n = v.getTime();
  else return unsupported(v, to);
  if (!Number.isFinite(n)) conversionFailure(`Attempt to convert ${n} value to integer type in $convert with no onError value`);
  n = Math.trunc(n);
  const limit = to === 'int' ? 2 ** 31 : 2 ** 63;
  if (n >= limit || n < -limit) conversionFailure(`Conversion would overflow target type in $convert with no onError value: ${n}`);
  return n;
}

/** Formats a double the way MongoDB prints it in $toString. */
function doubleToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

export function convertValue(v: unknown, to: string): unknown {
  switch (to) {
    case 'double':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') return parseNumberString(v, to);
      if (isNumeric(v)) return toNumber(v);
      if (v instanceof Date) return v.getTime();
      return unsupported(v, to);
    case 'int':
      return toIntegral(v, 'int');
    case 'long':
      if (v instanceof Long) return v;
      return Long.fromNumber(toIntegral(v, 'long'));
    case 'decimal':
      if (v instanceof Decimal128) return v;
      if (typeof v === 'string') { parseNumberString(v, to); return Decimal128.fromString(v); }
      if (typeof v === 'boolean') return Decimal128.fromString(v ? '1' : '0');
      if (v instanceof Long) return Decimal128.fromString(v.toString());
      if (isNumeric(v)) return Decimal128.fromString(doubleToString(toNumber(v)));
      if (v instanceof Date) return Decimal128.fromString(String(v.getTime()));
      return unsupported(v, to);
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'boolean') return String(v);
      if (v instanceof Long || v instanceof Decimal128) return v.toString();
      if (isNumeric(v)) return doubleToString(toNumber(v));
      if (v instanceof Date) return v.toISOString();
      if (v instanceof ObjectId) return v.toHexString();
      return unsupported(v, to);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (isNumeric(v)) return toNumber(v) !== 0;
      return true;
    case 'date':
      if (v instanceof Date) return v;
      if (typeof v === 'string') return parseDateString(v, undefined, undefined);
      if (v instanceof ObjectId) return v.getTimestamp();
      if (v instanceof Timestamp) return new Date(v.high * 1000);
      if (isNumeric(v) && numKind(v) !== 'int') return new Date(Math.trunc(toNumber(v)));
      if (typeof v === 'number') return new Date(v);
      return unsupported(v, to);
    case 'objectId':
      if (v instanceof ObjectId) return v;
      if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return new ObjectId(v);
      if (typeof v === 'string') conversionFailure(`Failed to parse objectId '${v}' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found ${v.length}`);
      return unsupported(v, to);
    default:
      return fail('BadValue', `Unknown type name: ${to}`);
  }
}

function targetName(to: unknown): string {
  if (typeof to === 'string' && TARGETS.has(to)) return to;
  if (typeof to === 'number' && TYPE_CODES[to]) return TYPE_CODES[to] as string;
  if (typeof to === 'string') return fail('BadValue', `Unknown type name: ${to}`);
  return fail('FailedToParse', `$convert's 'to' argument must be a string or number, but is ${typeNameForError(to)}`);
}

function convert(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$convert', args, ['input', 'to', 'onError', 'onNull', 'format', 'base64'], ['input', 'to']);
  const input = evaluate(a['input'], ctx);
  const toV = evaluate(a['to'], ctx);
  if (isNullish(toV)) return null;
  const to = targetName(toV);
  if (isNullish(input)) return 'onNull' in a ? evaluate(a['onNull'], ctx) : null;
  try {
    return convertValue(input, to);
  } catch (e) {
    if ('onError' in a && e instanceof Error && (e as { code?: number }).code === 241) return evaluate(a['onError'], ctx);
    throw e;
  }
}

function shorthand(name: string, to: string): OperatorFn {
  return (args, ctx) => {
    const [v] = evalArgs(name, args, ctx, 1);
    return isNullish(v) ? null : convertValue(v, to);
  };
}

export const typeOperators: Record<string, OperatorFn> = {
  $convert: convert,
  $toInt: shorthand('$toInt', 'int'),
  $toLong: shorthand('$toLong', 'long'),
  $toDouble: shorthand('$toDouble', 'double'),
  $toDecimal: shorthand('$toDecimal', 'decimal'),
  $toBool: shorthand('$toBool', 'bool'),
  $toDate: shorthand('$toDate', 'date'),
  $toObjectId: shorthand('$toObjectId', 'objectId'),
  $toString: shorthand('$toString', 'string'),
  $type: (args, ctx) => {
    const [v] = evalArgs('$type', args, ctx, 1);
    return v === undefined ? 'missing' : bsonTypeName(v);
  },
  $isNumber: (args, ctx) => isNumeric(evalArgs('$isNumber', args, ctx, 1)[0]),
};
