/** Object expression operators. */
import { fail } from '../errors.js';
import { setField } from '../query/compare.js';
import {
  argList, evalArgs, evaluate, isNullish, isPlainObject, objectArgs, typeNameForError, type EvalContext, type OperatorFn,
} from './expr-core.js';

/** Shallow merge; later documents win; null/missing inputs are ignored. */
export function mergeInto(target: Record<string, unknown>, v: unknown): void {
  if (isNullish(v)) return;
  if (!isPlainObject(v)) {
    fail('Location40400', `$mergeObjects requires object inputs, but input ${JSON.stringify(v)} is of type ${typeNameForError(v)}`, undefined, 40400);
  }
  for (const [k, x] of Object.entries(v)) setField(target, k, x);
}

function fieldArgs(name: string, args: unknown, ctx: EvalContext, extra: readonly string[]): { field: string; input: unknown; a: Record<string, unknown> } {
  const a = isPlainObject(args) && 'field' in args ? objectArgs(name, args, ['field', 'input', ...extra], ['field', ...extra.filter((e) => e === 'value')]) : { field: args };
  const field = evaluate(a['field'], ctx);
  if (typeof field !== 'string') {
    fail('Location3041704', `${name} requires 'field' to evaluate to type String, but got ${typeNameForError(field)}`, undefined, 3041704);
  }
  const input = 'input' in a ? evaluate(a['input'], ctx) : ctx.current;
  return { field, input, a };
}

function getField(args: unknown, ctx: EvalContext): unknown {
  const { field, input } = fieldArgs('$getField', args, ctx, []);
  if (isNullish(input)) return undefined;
  if (!isPlainObject(input)) {
    fail('Location3041705', `$getField requires 'input' to evaluate to type Object, but got ${typeNameForError(input)}`, undefined, 3041705);
  }
  return Object.prototype.hasOwnProperty.call(input, field) ? input[field] : undefined;
}

function setFieldOp(name: string, unset: boolean): OperatorFn {
  return (args, ctx) => {
    const { field, input, a } = fieldArgs(name, args, ctx, unset ? [] : ['value']);
    if (isNullish(input)) return null;
    if (!isPlainObject(input)) {
      fail('Location4161105', `${name} requires 'input' to evaluate to type Object, but got ${typeNameForError(input)}`, undefined, 4161105);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) if (k !== field) setField(out, k, v);
    const value = unset ? undefined : evaluate(a['value'], ctx);
    if (value === undefined) return out;
    // Replace in place when the field existed, else append, keeping field order like MongoDB.
    if (Object.prototype.hasOwnProperty.call(input, field)) {
      const ordered: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) setField(ordered, k, k === field ? value : v);
      return ordered;
    }
    setField(out, field, value);
    return out;
  };
}

function arrayToObject(args: unknown, ctx: EvalContext): unknown {
  const [v] = evalArgs('$arrayToObject', args, ctx, 1);
  if (isNullish(v)) return null;
  if (!Array.isArray(v)) fail('Location40386', `$arrayToObject requires an array input, found: ${typeNameForError(v)}`, undefined, 40386);
  const out: Record<string, unknown> = {};
  for (const el of v) {
    let k: unknown;
    let val: unknown;
    if (Array.isArray(el)) {
      if (el.length !== 2) fail('Location40397', `$arrayToObject requires an array of size 2 arrays,found array of size: ${el.length}`, undefined, 40397);
      [k, val] = el;
    } else if (isPlainObject(el)) {
      const keys = Object.keys(el);
      if (keys.length !== 2 || !('k' in el) || !('v' in el)) {
        fail('Location40393', "$arrayToObject requires an object with keys 'k' and 'v'", undefined, 40393);
      }
      k = el['k'];
      val = el['v'];
    } else {
      return fail('Location40398', `Unrecognised input type format for $arrayToObject: ${typeNameForError(el)}`, undefined, 40398);
    }
    if (typeof k !== 'string') fail('Location40395', `$arrayToObject requires keys to be type String, found: ${typeNameForError(k)}`, undefined, 40395);
    if (k.includes('\0')) fail('Location4940400', "Key field cannot contain an embedded null byte", undefined, 4940400);
    // A repeated key keeps its first position but takes the last value.
    setField(out, k, val);
  }
  return out;
}

export const objectOperators: Record<string, OperatorFn> = {
  $mergeObjects: (args, ctx) => {
    const out: Record<string, unknown> = {};
    for (const a of argList(args)) mergeInto(out, evaluate(a, ctx));
    return out;
  },
  $getField: getField,
  $setField: setFieldOp('$setField', false),
  $unsetField: setFieldOp('$unsetField', true),
  $objectToArray: (args, ctx) => {
    const [v] = evalArgs('$objectToArray', args, ctx, 1);
    if (isNullish(v)) return null;
    if (!isPlainObject(v)) fail('Location40390', `$objectToArray requires a document input, found: ${typeNameForError(v)}`, undefined, 40390);
    return Object.entries(v).map(([k, x]) => ({ k, v: x }));
  },
  $arrayToObject: arrayToObject,
};
