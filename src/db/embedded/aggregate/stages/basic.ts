/** Filtering, ordering and reshaping stages: $match $sort $skip $limit $count $replaceRoot $sample. */
import { fail } from '../../errors.js';
import { compileFilter } from '../../query/match.js';
import { compileSort } from '../../query/sort.js';
import { evaluate, isPlainObject, typeNameForError } from '../expr-core.js';
import { isIntegral, isNumeric, toNumber } from '../numbers.js';
import type { Doc, StageRunner } from './runtime.js';

export const matchStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec)) fail('Location15959', 'the match filter must be an expression in an object', undefined, 15959);
  // Without ctx.textScore the filter layer reports `$text` as needing a text index.
  const m = compileFilter(spec, { variables: rt.vars, ...(rt.ctx.textScore ? { textScore: (d: Doc) => rt.score(d) } : {}) });
  return docs.filter((d) => m(d));
};

export const sortStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec)) fail('Location15973', 'the $sort key specification must be an object', undefined, 15973);
  if (Object.keys(spec).length === 0) fail('Location15976', '$sort stage must have at least one sort key', undefined, 15976);
  const cmp = compileSort(spec, { textScore: (d) => rt.score(d) });
  // Array.prototype.sort is stable, so ties keep their input order.
  return [...docs].sort(cmp);
};

function nonNegativeInt(stage: string, v: unknown, code: number): number {
  if (!isNumeric(v) || !isIntegral(v)) {
    fail(`Location${code}`, `invalid argument to ${stage} stage: Expected an integer: ${stage}: ${String(v)}`, undefined, code);
  }
  return toNumber(v);
}

export const skipStage: StageRunner = (docs, spec) => {
  const n = nonNegativeInt('$skip', spec, 5107200);
  if (n < 0) fail('Location5107200', `invalid argument to $skip stage: Expected a non-negative number in: $skip: ${n}`, undefined, 5107200);
  return docs.slice(n);
};

export const limitStage: StageRunner = (docs, spec) => {
  const n = nonNegativeInt('$limit', spec, 5107201);
  if (n <= 0) fail('Location15958', 'the limit must be positive', undefined, 15958);
  return docs.slice(0, n);
};

export const countStage: StageRunner = (docs, spec) => {
  if (typeof spec !== 'string') fail('Location40156', 'the count field must be a non-empty string', undefined, 40156);
  if (spec.length === 0) fail('Location40157', 'the count field must be a non-empty string', undefined, 40157);
  if (spec.startsWith('$')) fail('Location40158', "the count field cannot be a $-prefixed path", undefined, 40158);
  if (spec.includes('.')) fail('Location40160', "the count field cannot contain '.'", undefined, 40160);
  return docs.length === 0 ? [] : [{ [spec]: docs.length }];
};

function replaceWith(docs: Doc[], expr: unknown, rt: Parameters<StageRunner>[2]): Doc[] {
  return docs.map((d) => {
    const v = evaluate(expr, rt.evalContext(d));
    if (!isPlainObject(v)) {
      fail('Location40228', `'replacement document' must evaluate to an object, but resulting value was: ${v === undefined ? 'MISSING' : JSON.stringify(v)}. Type of resulting value: '${typeNameForError(v)}'. Input document: ${JSON.stringify(d)}`, undefined, 40228);
    }
    return rt.carry(d, v);
  });
}

export const replaceRootStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec) || !('newRoot' in spec)) fail('Location40231', "no newRoot specified for the $replaceRoot stage", undefined, 40231);
  for (const k of Object.keys(spec)) if (k !== 'newRoot') fail('Location40415', `BSON field '$replaceRoot.${k}' is an unknown field.`, undefined, 40415);
  return replaceWith(docs, spec['newRoot'], rt);
};

export const replaceWithStage: StageRunner = (docs, spec, rt) => replaceWith(docs, spec, rt);

export const sampleStage: StageRunner = (docs, spec) => {
  if (!isPlainObject(spec)) fail('Location28745', 'the $sample stage specification must be an object', undefined, 28745);
  for (const k of Object.keys(spec)) if (k !== 'size') fail('Location28748', `unrecognized option to $sample: ${k}`, undefined, 28748);
  const size = spec['size'];
  if (size === undefined) fail('Location28749', '$sample stage must specify a size', undefined, 28749);
  if (!isNumeric(size)) fail('Location28746', 'size argument to $sample must be a number', undefined, 28746);
  const n = toNumber(size);
  if (n < 0) fail('Location28747', 'size argument to $sample must not be negative', undefined, 28747);
  // Partial Fisher–Yates: a uniform sample without replacement, in random order.
  const a = [...docs];
  const take = Math.min(Math.trunc(n), a.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(Math.random() * (a.length - i));
    [a[i], a[j]] = [a[j] as Doc, a[i] as Doc];
  }
  return a.slice(0, take);
};

/** Writing stages belong to the command layer; here they are a clear error. */
export function unsupportedStage(name: string): StageRunner {
  return () => fail('NotImplemented', `${name} is not supported by the embedded server's aggregation pipeline`);
}
