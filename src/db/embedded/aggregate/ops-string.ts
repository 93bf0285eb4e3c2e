/** String expression operators. Byte offsets are UTF-8, code-point offsets are Unicode scalars. */
import { fail } from '../errors.js';
import { isRegexValue, toJsRegExp } from '../query/regex.js';
import {
  argList, evalArgs, evaluate, isNullish, objectArgs, typeNameForError, type EvalContext, type OperatorFn,
} from './expr-core.js';
import { isIntegral, isNumeric, toNumber } from './numbers.js';
import { convertValue } from './convert.js';

/** MongoDB's default $trim characters: whitespace and the null character. */
const TRIM_CHARS = ['\0', ' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003',
  '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];

/** $toLower/$toUpper/$substr coerce numbers and dates to strings; null becomes "". */
function coerceToString(name: string, v: unknown): string {
  if (isNullish(v)) return '';
  if (typeof v === 'string') return v;
  if (isNumeric(v) || v instanceof Date) return convertValue(v, 'string') as string;
  return fail('Location16007', `can't convert from BSON type ${typeNameForError(v)} to String`, undefined, 16007);
}

function requireString(name: string, v: unknown, code: number): string {
  if (typeof v !== 'string') fail(`Location${code}`, `${name} requires a string argument, found: ${typeNameForError(v)}`, undefined, code);
  return v;
}

function requireIndex(name: string, v: unknown, what: string): number {
  if (!isNumeric(v) || !isIntegral(v)) {
    fail('Location34450', `${name}: ${what} must be a numeric integer value, found: ${typeNameForError(v)}`, undefined, 34450);
  }
  return toNumber(v);
}

function concat(args: unknown, ctx: EvalContext): unknown {
  const vals = argList(args).map((a) => evaluate(a, ctx));
  for (const v of vals) if (isNullish(v)) return null;
  for (const v of vals) {
    if (typeof v !== 'string') fail('Location16702', `$concat only supports strings, not ${typeNameForError(v)}`, undefined, 16702);
  }
  return vals.join('');
}

function substrBytes(args: unknown, ctx: EvalContext): unknown {
  const [s, start, len] = evalArgs('$substrBytes', args, ctx, 3);
  const buf = Buffer.from(coerceToString('$substrBytes', s), 'utf8');
  if (!isNumeric(start)) fail('Location16034', `$substrBytes: starting index must be a numeric type (is BSON type ${typeNameForError(start)})`, undefined, 16034);
  if (!isNumeric(len)) fail('Location16035', `$substrBytes: length must be a numeric type (is BSON type ${typeNameForError(len)})`, undefined, 16035);
  const from = Math.trunc(toNumber(start));
  const n = Math.trunc(toNumber(len));
  if (from < 0 || from >= buf.length) return '';
  const end = n < 0 ? buf.length : Math.min(buf.length, from + n);
  // A UTF-8 continuation byte (10xxxxxx) at a boundary means the cut splits a character.
  const isCont = (i: number): boolean => i < buf.length && ((buf[i] as number) & 0xc0) === 0x80;
  if (isCont(from)) fail('Location28656', '$substrBytes:  Invalid range, starting index is a UTF-8 continuation byte.', undefined, 28656);
  if (isCont(end)) fail('Location28657', '$substrBytes:  Invalid range, ending index is in the middle of a UTF-8 character.', undefined, 28657);
  return buf.subarray(from, end).toString('utf8');
}

function substrCP(args: unknown, ctx: EvalContext): unknown {
  const [s, start, len] = evalArgs('$substrCP', args, ctx, 3);
  const cps = Array.from(coerceToString('$substrCP', s));
  const from = requireIndex('$substrCP', start, 'starting index');
  const n = requireIndex('$substrCP', len, 'length');
  if (from < 0) fail('Location34455', `$substrCP: the starting index must be nonnegative integer.`, undefined, 34455);
  if (n < 0) fail('Location34456', `$substrCP: length must be a nonnegative integer.`, undefined, 34456);
  return cps.slice(from, from + n).join('');
}

function trimmer(name: string, left: boolean, right: boolean): OperatorFn {
  return (args, ctx) => {
    const a = objectArgs(name, args, ['input', 'chars'], ['input']);
    const input = evaluate(a['input'], ctx);
    if (isNullish(input)) return null;
    if (typeof input !== 'string') fail('Location50699', `${name} requires its input to be a string, got ${typeNameForError(input)}`, undefined, 50699);
    let chars = TRIM_CHARS;
    if ('chars' in a) {
      const c = evaluate(a['chars'], ctx);
      if (isNullish(c)) return null;
      if (typeof c !== 'string') fail('Location50700', `${name} requires 'chars' to be a string, got ${typeNameForError(c)}`, undefined, 50700);
      chars = Array.from(c);
    }
    const cps = Array.from(input);
    let i = 0;
    let j = cps.length;
    if (left) while (i < j && chars.includes(cps[i] as string)) i++;
    if (right) while (j > i && chars.includes(cps[j - 1] as string)) j--;
    return cps.slice(i, j).join('');
  };
}

function indexOf(name: string, bytes: boolean): OperatorFn {
  return (args, ctx) => {
    const [s, sub, start, end] = evalArgs(name, args, ctx, 2, 4);
    if (isNullish(s)) return null;
    if (typeof s !== 'string') fail('Location40091', `${name} requires a string as the first argument, found: ${typeNameForError(s)}`, undefined, 40091);
    if (typeof sub !== 'string') fail('Location40092', `${name} requires a string as the second argument, found: ${typeNameForError(sub)}`, undefined, 40092);
    const units: string[] | Buffer = bytes ? Buffer.from(s, 'utf8') : Array.from(s);
    const needle: string[] | Buffer = bytes ? Buffer.from(sub, 'utf8') : Array.from(sub);
    const from = start === undefined ? 0 : requireIndex(name, start, 'starting index');
    const to = end === undefined ? units.length : Math.min(units.length, requireIndex(name, end, 'ending index'));
    if (from < 0 || (end !== undefined && to < 0)) fail('Location40097', `${name} requires a nonnegative start/end index`, undefined, 40097);
    for (let i = from; i + needle.length <= to; i++) {
      let ok = true;
      for (let k = 0; k < needle.length && ok; k++) ok = units[i + k] === needle[k];
      if (ok) return i;
    }
    return -1;
  };
}

/** Builds a JS RegExp from MongoDB's regex + options (i, m, s, x), via the query layer's PCRE mapping. */
export function toRegExp(name: string, regex: unknown, options: unknown): RegExp {
  if (!isNullish(options) && typeof options !== 'string') fail('Location51106', `${name} needs 'options' to be of type string`, undefined, 51106);
  const opts = isNullish(options) ? '' : options;
  if (typeof regex === 'string') return toJsRegExp(regex, opts);
  if (isRegexValue(regex)) {
    const r = regex instanceof RegExp ? { pattern: regex.source, flags: regex.flags.replace(/[gy]/g, '') } : { pattern: regex.pattern, flags: regex.options };
    if (opts && r.flags) fail('Location51107', `${name} found regex option(s) specified in both 'regex' and 'option' fields`, undefined, 51107);
    return toJsRegExp(r.pattern, opts || r.flags);
  }
  return fail('Location51105', `${name} needs 'regex' to be of type string or regex`, undefined, 51105);
}

type RegexMode = 'match' | 'find' | 'all';
function regexOp(name: string, mode: RegexMode): OperatorFn {
  return (args, ctx) => {
    const a = objectArgs(name, args, ['input', 'regex', 'options'], ['input', 'regex']);
    const input = evaluate(a['input'], ctx);
    const regex = evaluate(a['regex'], ctx);
    const none = mode === 'match' ? false : mode === 'find' ? null : [];
    if (!isNullish(input) && typeof input !== 'string') fail('Location51104', `${name} needs 'input' to be of type string`, undefined, 51104);
    if (isNullish(regex)) return none;
    const re = toRegExp(name, regex, evaluate(a['options'], ctx));
    if (isNullish(input)) return none;
    if (mode === 'match') return re.test(input);
    const toDoc = (m: RegExpExecArray): Record<string, unknown> => ({
      match: m[0], idx: Array.from(input.slice(0, m.index)).length, captures: m.slice(1).map((c) => c ?? null),
    });
    if (mode === 'find') {
      const m = re.exec(input);
      return m ? toDoc(m) : null;
    }
    const g = new RegExp(re.source, re.flags + 'g');
    return Array.from(input.matchAll(g), (m) => toDoc(m));
  };
}

function replaceOp(name: string, all: boolean): OperatorFn {
  return (args, ctx) => {
    const a = objectArgs(name, args, ['input', 'find', 'replacement'], ['input', 'find', 'replacement']);
    const vals = [a['input'], a['find'], a['replacement']].map((e) => evaluate(e, ctx));
    for (const v of vals) if (!isNullish(v) && typeof v !== 'string') fail('Location51746', `${name} requires that all arguments be strings`, undefined, 51746);
    if (vals.some(isNullish)) return null;
    const [input, find, rep] = vals as [string, string, string];
    return all ? input.split(find).join(rep) : input.replace(find, () => rep);
  };
}

export const stringOperators: Record<string, OperatorFn> = {
  $concat: concat,
  $toLower: (args, ctx) => coerceToString('$toLower', evalArgs('$toLower', args, ctx, 1)[0]).toLowerCase(),
  $toUpper: (args, ctx) => coerceToString('$toUpper', evalArgs('$toUpper', args, ctx, 1)[0]).toUpperCase(),
  $substr: substrBytes,
  $substrBytes: substrBytes,
  $substrCP: substrCP,
  $strLenCP: (args, ctx) => Array.from(requireString('$strLenCP', evalArgs('$strLenCP', args, ctx, 1)[0], 34471)).length,
  $strLenBytes: (args, ctx) => Buffer.byteLength(requireString('$strLenBytes', evalArgs('$strLenBytes', args, ctx, 1)[0], 34473), 'utf8'),
  $split: (args, ctx) => {
    const [s, d] = evalArgs('$split', args, ctx, 2);
    if (isNullish(s)) return null;
    if (typeof s !== 'string') fail('Location40085', `$split requires an expression that evaluates to a string as a first argument, found: ${typeNameForError(s)}`, undefined, 40085);
    if (typeof d !== 'string') fail('Location40086', `$split requires an expression that evaluates to a string as a second argument, found: ${typeNameForError(d)}`, undefined, 40086);
    if (d === '') fail('Location40087', "$split requires a non-empty separator", undefined, 40087);
    return s.split(d);
  },
  $trim: trimmer('$trim', true, true),
  $ltrim: trimmer('$ltrim', true, false),
  $rtrim: trimmer('$rtrim', false, true),
  $indexOfCP: indexOf('$indexOfCP', false),
  $indexOfBytes: indexOf('$indexOfBytes', true),
  $regexMatch: regexOp('$regexMatch', 'match'),
  $regexFind: regexOp('$regexFind', 'find'),
  $regexFindAll: regexOp('$regexFindAll', 'all'),
  $replaceOne: replaceOp('$replaceOne', false),
  $replaceAll: replaceOp('$replaceAll', true),
  $strcasecmp: (args, ctx) => {
    const [a, b] = evalArgs('$strcasecmp', args, ctx, 2).map((v) => coerceToString('$strcasecmp', v).toUpperCase()) as [string, string];
    return a < b ? -1 : a > b ? 1 : 0;
  },
};
