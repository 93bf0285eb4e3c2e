/** Stages that read other collections or sub-pipelines: $lookup, $unionWith, $facet. */
import { fail } from '../../errors.js';
import { canonicalKey } from '../../query/compare.js';
import { evaluate, getPathValue, isPlainObject } from '../expr-core.js';
import type { Doc, Runtime, StageRunner } from './runtime.js';
import { withNested } from './unwind.js';

function foreignDocs(rt: Runtime, coll: string, stage: string): Doc[] {
  if (!rt.ctx.lookup) fail('NotImplemented', `${stage} needs access to other collections, which this pipeline run does not have`);
  return [...rt.ctx.lookup(coll)];
}

/**
 * Equality keys a value offers to an equality match, with query semantics: the value
 * itself, each element of an array, and null for a missing or null value.
 */
function equalityKeys(v: unknown): string[] {
  if (v === undefined || v === null) return [canonicalKey(null)];
  if (Array.isArray(v)) {
    const keys = v.flatMap((el) => (Array.isArray(el) ? [canonicalKey(el)] : equalityKeys(el)));
    keys.push(canonicalKey(v));
    return keys.length === 1 && v.length === 0 ? [canonicalKey(v)] : keys;
  }
  return [canonicalKey(v)];
}

/** Hash join: foreign documents indexed by every equality key of their foreignField. */
function indexForeign(docs: Doc[], foreignField: string): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const parts = foreignField.split('.');
  docs.forEach((d, i) => {
    for (const k of new Set(equalityKeys(getPathValue(d, parts)))) {
      const list = index.get(k);
      if (list) list.push(i);
      else index.set(k, [i]);
    }
  });
  return index;
}

function localKeys(doc: Doc, localField: string): string[] {
  const v = getPathValue(doc, localField.split('.'));
  // A local array matches any of its elements (not the array as a whole).
  if (Array.isArray(v)) return v.length === 0 ? [] : v.flatMap((el) => (Array.isArray(el) ? [canonicalKey(el)] : equalityKeys(el)));
  return equalityKeys(v);
}

const LOOKUP_FIELDS = ['from', 'as', 'localField', 'foreignField', 'let', 'pipeline'];

export const lookupStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec)) fail('Location40319', 'the $lookup specification must be an Object', undefined, 40319);
  for (const k of Object.keys(spec)) if (!LOOKUP_FIELDS.includes(k)) fail('FailedToParse', `unknown argument to $lookup: ${k}`);
  const { from, as, localField, foreignField, pipeline } = spec;
  const letSpec = spec['let'] ?? {};
  if (typeof from !== 'string') fail('FailedToParse', "$lookup requires 'from' to be a string");
  if (typeof as !== 'string' || as === '') fail('FailedToParse', "must specify 'as' field for a $lookup");
  if ((localField === undefined) !== (foreignField === undefined)) {
    fail('Location40321', "$lookup requires both or neither of 'localField' and 'foreignField' to be specified", undefined, 40321);
  }
  const byFields = localField !== undefined;
  if (byFields && (typeof localField !== 'string' || typeof foreignField !== 'string')) {
    fail('FailedToParse', "$lookup argument 'localField' and 'foreignField' must be strings");
  }
  if (!byFields && pipeline === undefined) {
    fail('Location40321', "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified", undefined, 40321);
  }
  if (pipeline !== undefined && !Array.isArray(pipeline)) fail('FailedToParse', "$lookup argument 'pipeline' must be an array");
  if (!isPlainObject(letSpec)) fail('FailedToParse', "$lookup argument 'let' must be an object");
  const foreign = foreignDocs(rt, from, '$lookup');
  const index = byFields ? indexForeign(foreign, foreignField as string) : undefined;
  const asParts = as.split('.');
  return docs.map((d) => {
    let matched = foreign;
    if (index) {
      const hits = new Set<number>();
      for (const k of localKeys(d, localField as string)) for (const i of index.get(k) ?? []) hits.add(i);
      matched = [...hits].sort((a, b) => a - b).map((i) => foreign[i] as Doc);
    }
    if (pipeline !== undefined) {
      const ctx = rt.evalContext(d);
      const vars: Record<string, unknown> = {};
      for (const [name, e] of Object.entries(letSpec)) vars[name] = evaluate(e, ctx) ?? null;
      matched = rt.run(matched, pipeline, { mode: 'foreign', vars });
    }
    return rt.carry(d, withNested(d, asParts, matched));
  });
};

export const unionWithStage: StageRunner = (docs, spec, rt) => {
  const coll = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec['coll'] : undefined;
  const pipeline = isPlainObject(spec) ? spec['pipeline'] ?? [] : [];
  if (typeof coll !== 'string') fail('FailedToParse', "$unionWith requires 'coll' to be a string");
  if (!Array.isArray(pipeline)) fail('FailedToParse', "$unionWith argument 'pipeline' must be an array");
  return [...docs, ...rt.run(foreignDocs(rt, coll, '$unionWith'), pipeline, { mode: 'foreign' })];
};

const NOT_IN_FACET = new Set(['$facet', '$out', '$merge', '$collStats', '$indexStats', '$geoNear', '$planCacheStats', '$changeStream']);

export const facetStage: StageRunner = (docs, spec, rt) => {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    fail('Location40169', 'the $facet specification must be a non-empty object', undefined, 40169);
  }
  const out: Doc = {};
  for (const [name, pipeline] of Object.entries(spec)) {
    if (name.startsWith('$') || name.includes('.') || name === '') {
      fail('Location40174', `$facet field names cannot start with '$' or contain '.': ${name}`, undefined, 40174);
    }
    if (!Array.isArray(pipeline) || pipeline.length === 0) {
      fail('Location40170', `arguments to $facet must be arrays, ${name} is type ${typeof pipeline}`, undefined, 40170);
    }
    for (const st of pipeline) {
      const stageName = isPlainObject(st) ? Object.keys(st)[0] : undefined;
      if (stageName !== undefined && NOT_IN_FACET.has(stageName)) {
        fail('Location40600', `${stageName} is not allowed to be used within a $facet stage`, undefined, 40600);
      }
    }
    out[name] = rt.run(docs, pipeline, { mode: 'facet' });
  }
  return [out];
};
