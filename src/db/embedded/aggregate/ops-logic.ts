/** Conditionals, comparisons, boolean logic, variables ($let, $literal) and $meta. */
import { fail } from '../errors.js';
import {
  argList, compareAgg, evalArgs, evaluate, isNullish, isPlainObject, isTruthy, withVars, type EvalContext, type OperatorFn,
} from './expr-core.js';

function cond(args: unknown, ctx: EvalContext): unknown {
  let parts: [unknown, unknown, unknown];
  if (Array.isArray(args)) {
    if (args.length !== 3) fail('Location16020', `Expression $cond takes exactly 3 arguments. ${args.length} were passed in.`, undefined, 16020);
    parts = [args[0], args[1], args[2]];
  } else if (isPlainObject(args)) {
    for (const k of Object.keys(args)) {
      if (!['if', 'then', 'else'].includes(k)) fail('Location17083', `Unrecognized parameter to $cond: ${k}`, undefined, 17083);
    }
    if (!('if' in args)) fail('Location17080', "Missing 'if' parameter to $cond", undefined, 17080);
    if (!('then' in args)) fail('Location17081', "Missing 'then' parameter to $cond", undefined, 17081);
    if (!('else' in args)) fail('Location17082', "Missing 'else' parameter to $cond", undefined, 17082);
    parts = [args['if'], args['then'], args['else']];
  } else {
    return fail('Location16020', 'Expression $cond takes exactly 3 arguments. 1 were passed in.', undefined, 16020);
  }
  return isTruthy(evaluate(parts[0], ctx)) ? evaluate(parts[1], ctx) : evaluate(parts[2], ctx);
}

function ifNull(args: unknown, ctx: EvalContext): unknown {
  const list = argList(args);
  if (list.length < 2) fail('Location1257300', '$ifNull needs at least two arguments, had: ' + list.length, undefined, 1257300);
  for (let i = 0; i < list.length - 1; i++) {
    const v = evaluate(list[i], ctx);
    if (!isNullish(v)) return v;
  }
  return evaluate(list[list.length - 1], ctx);
}

function switchOp(args: unknown, ctx: EvalContext): unknown {
  if (!isPlainObject(args)) fail('Location40060', '$switch requires an object as an argument', undefined, 40060);
  const branches = args['branches'];
  if (!Array.isArray(branches)) fail('Location40061', "$switch expected an array for 'branches'", undefined, 40061);
  for (const b of branches) {
    if (!isPlainObject(b)) fail('Location40062', '$switch expected each branch to be an object', undefined, 40062);
    if (!('case' in b)) fail('Location40064', "$switch requires each branch have a 'case' expression", undefined, 40064);
    if (!('then' in b)) fail('Location40065', "$switch requires each branch have a 'then' expression.", undefined, 40065);
    if (isTruthy(evaluate(b['case'], ctx))) return evaluate(b['then'], ctx);
  }
  if ('default' in args) return evaluate(args['default'], ctx);
  return fail('Location40066', '$switch could not find a matching branch for an input, and no default was specified.', undefined, 40066);
}

function comparison(name: string, test: (c: number) => boolean): OperatorFn {
  return (args, ctx) => {
    const [a, b] = evalArgs(name, args, ctx, 2);
    return test(compareAgg(a, b));
  };
}

function letOp(args: unknown, ctx: EvalContext): unknown {
  if (!isPlainObject(args) || !isPlainObject(args['vars']) || !('in' in args)) {
    fail('Location16878', "$let requires 'vars' and 'in' parameters", undefined, 16878);
  }
  const defs: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(args['vars'])) {
    if (!/^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/.test(name)) {
      fail('Location16867', `'${name}' starts with an invalid character for a user variable name`, undefined, 16867);
    }
    defs[name] = evaluate(e, ctx);
  }
  return evaluate(args['in'], withVars(ctx, defs));
}

function meta(args: unknown, ctx: EvalContext): unknown {
  if (args === 'textScore') {
    const hook = ctx.vars['__textScore'];
    const score = typeof hook === 'function' ? (hook as (d: Record<string, unknown>) => unknown)(ctx.root) : hook;
    if (score === undefined) fail('Location40218', 'query requires text score metadata, but it is not available', undefined, 40218);
    return score;
  }
  if (typeof args === 'string' && ['searchScore', 'searchHighlights', 'indexKey', 'recordId', 'sortKey', 'geoNearDistance', 'geoNearPoint', 'randVal'].includes(args)) {
    return fail('NotImplemented', `$meta '${args}' is not supported by the embedded server`);
  }
  return fail('Location17308', `Unsupported argument to $meta: ${String(args)}`, undefined, 17308);
}

export const logicOperators: Record<string, OperatorFn> = {
  $cond: cond,
  $ifNull: ifNull,
  $switch: switchOp,
  $eq: comparison('$eq', (c) => c === 0),
  $ne: comparison('$ne', (c) => c !== 0),
  $gt: comparison('$gt', (c) => c > 0),
  $gte: comparison('$gte', (c) => c >= 0),
  $lt: comparison('$lt', (c) => c < 0),
  $lte: comparison('$lte', (c) => c <= 0),
  $cmp: (args, ctx) => {
    const [a, b] = evalArgs('$cmp', args, ctx, 2);
    const c = compareAgg(a, b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  },
  $and: (args, ctx) => argList(args).every((a) => isTruthy(evaluate(a, ctx))),
  $or: (args, ctx) => argList(args).some((a) => isTruthy(evaluate(a, ctx))),
  $not: (args, ctx) => !isTruthy(evalArgs('$not', args, ctx, 1)[0]),
  $literal: (args) => args,
  $let: letOp,
  $meta: meta,
  $rand: () => Math.random(),
};
