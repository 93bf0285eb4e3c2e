/** Grouping stages: $group, $sortByCount, $bucket. */
import { fail } from '../../errors.js';
import { canonicalKey, compareValues, setField } from '../../query/compare.js';
import { compileAccumulator, type Accumulator, type CompiledAccumulator } from '../accumulators.js';
import { evaluate, isPlainObject } from '../expr-core.js';
import type { Doc, Runtime, StageRunner } from './runtime.js';

interface Bucket { id: unknown; accs: Accumulator[] }

/** Groups docs by key (first-seen order, so output is deterministic) and runs the accumulators. */
function groupBy(
  docs: Doc[], rt: Runtime, keyOf: (d: Doc) => unknown, fields: [string, CompiledAccumulator][],
): Doc[] {
  const buckets = new Map<string, Bucket>();
  for (const d of docs) {
    const id = keyOf(d);
    const k = canonicalKey(id);
    let b = buckets.get(k);
    if (!b) {
      b = { id, accs: fields.map(([, f]) => f.create()) };
      buckets.set(k, b);
    }
    const ctx = rt.evalContext(d);
    fields.forEach(([, f], i) => (b as Bucket).accs[i]?.add(evaluate(f.expr, ctx)));
  }
  return [...buckets.values()].map((b) => {
    const out: Doc = { _id: b.id };
    fields.forEach(([name], i) => setField(out, name, (b.accs[i] as Accumulator).result()));
    return out;
  });
}

function parseFields(spec: Record<string, unknown>, skip: string): [string, CompiledAccumulator][] {
  const fields: [string, CompiledAccumulator][] = [];
  for (const [name, acc] of Object.entries(spec)) {
    if (name === skip) continue;
    if (name.includes('.')) fail('Location40235', `The field name '${name}' cannot contain '.'`, undefined, 40235);
    if (name.startsWith('$')) fail('Location40236', `The field name '${name}' cannot be an operator name`, undefined, 40236);
    fields.push([name, compileAccumulator(name, acc)]);
  }
  return fields;
}

export const groupStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec)) fail('Location15947', 'a group\'s fields must be specified in an object', undefined, 15947);
  if (!('_id' in spec)) fail('Location15955', 'a group specification must include an _id', undefined, 15955);
  const idExpr = spec['_id'];
  const fields = parseFields(spec, '_id');
  // A missing group key groups as null.
  return groupBy(docs, rt, (d) => evaluate(idExpr, rt.evalContext(d)) ?? null, fields);
};

export const sortByCountStage: StageRunner = (docs, spec, rt) => {
  const isExpr = (typeof spec === 'string' && spec.startsWith('$')) || (isPlainObject(spec) && Object.keys(spec).length === 1 && (Object.keys(spec)[0] as string).startsWith('$'));
  if (!isExpr) fail('Location40148', "the sortKey specification must be an expression", undefined, 40148);
  const grouped = groupBy(docs, rt, (d) => evaluate(spec, rt.evalContext(d)) ?? null, [['count', compileAccumulator('count', { $sum: 1 })]]);
  return grouped.sort((a, b) => compareValues(b['count'], a['count']));
};

export const bucketStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec)) fail('Location40201', 'Argument to $bucket stage must be an object', undefined, 40201);
  for (const k of Object.keys(spec)) {
    if (!['groupBy', 'boundaries', 'default', 'output'].includes(k)) fail('Location40197', `Unrecognized option to $bucket: ${k}.`, undefined, 40197);
  }
  const boundaries = spec['boundaries'];
  if (!('groupBy' in spec) || !Array.isArray(boundaries)) fail('Location40198', "$bucket requires 'groupBy' and 'boundaries' to be specified.", undefined, 40198);
  if (boundaries.length < 2) fail('Location40192', `The $bucket 'boundaries' field must have at least 2 values, but found ${boundaries.length} value(s).`, undefined, 40192);
  for (let i = 1; i < boundaries.length; i++) {
    if (compareValues(boundaries[i - 1], boundaries[i]) >= 0) {
      fail('Location40194', "The 'boundaries' option to $bucket must be sorted in ascending order", undefined, 40194);
    }
  }
  const hasDefault = 'default' in spec;
  const def = spec['default'];
  if (hasDefault && compareValues(def, boundaries[0]) >= 0 && compareValues(def, boundaries[boundaries.length - 1]) < 0) {
    fail('Location40199', "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.", undefined, 40199);
  }
  const output = spec['output'] ?? { count: { $sum: 1 } };
  if (!isPlainObject(output)) fail('Location40196', "The $bucket 'output' field must be an object", undefined, 40196);
  const fields = parseFields(output, '');
  const keyOf = (d: Doc): unknown => {
    const v = evaluate(spec['groupBy'], rt.evalContext(d)) ?? null;
    for (let i = 0; i < boundaries.length - 1; i++) {
      if (compareValues(v, boundaries[i]) >= 0 && compareValues(v, boundaries[i + 1]) < 0) return boundaries[i];
    }
    if (!hasDefault) fail('Location40066', `$switch could not find a matching branch for an input, and no default was specified.`, undefined, 40066);
    return def;
  };
  // Buckets come out in boundary order, the default bucket last.
  const grouped = groupBy(docs, rt, keyOf, fields);
  const rank = (id: unknown): number => {
    const i = boundaries.findIndex((b) => canonicalKey(b) === canonicalKey(id));
    return i < 0 ? boundaries.length : i;
  };
  return grouped.sort((a, b) => rank(a['_id']) - rank(b['_id']));
};
