/**
 * runPipeline: validates and runs an aggregation pipeline over in-memory documents.
 * Stages are materialised one after another (the embedded server's collections are small).
 */
import { fail } from '../errors.js';
import './expressions.js';
import { isPlainObject, type EvalContext } from './expr-core.js';
import {
  countStage, limitStage, matchStage, replaceRootStage, replaceWithStage, sampleStage, skipStage, sortStage, unsupportedStage,
} from './stages/basic.js';
import { bucketStage, groupStage, sortByCountStage } from './stages/group.js';
import { facetStage, lookupStage, unionWithStage } from './stages/lookup.js';
import { addFieldsStage, projectStage, unsetStage } from './stages/projection.js';
import type { Doc, PipelineContext, Runtime, StageRunner, SubPipelineOptions } from './stages/runtime.js';
import { unwindStage } from './stages/unwind.js';

export type { PipelineContext } from './stages/runtime.js';

const STAGES: Record<string, StageRunner> = {
  $match: matchStage,
  $project: projectStage,
  $addFields: addFieldsStage('$addFields'),
  $set: addFieldsStage('$set'),
  $unset: unsetStage,
  $group: groupStage,
  $sort: sortStage,
  $skip: skipStage,
  $limit: limitStage,
  $unwind: unwindStage,
  $lookup: lookupStage,
  $unionWith: unionWithStage,
  $facet: facetStage,
  $count: countStage,
  $sortByCount: sortByCountStage,
  $replaceRoot: replaceRootStage,
  $replaceWith: replaceWithStage,
  $sample: sampleStage,
  $bucket: bucketStage,
  $out: unsupportedStage('$out'),
  $merge: unsupportedStage('$merge'),
  $bucketAuto: unsupportedStage('$bucketAuto'),
  $setWindowFields: unsupportedStage('$setWindowFields'),
  $graphLookup: unsupportedStage('$graphLookup'),
  $geoNear: unsupportedStage('$geoNear'),
  $redact: unsupportedStage('$redact'),
  $densify: unsupportedStage('$densify'),
  $fill: unsupportedStage('$fill'),
  $search: unsupportedStage('$search'),
  $vectorSearch: unsupportedStage('$vectorSearch'),
  $collStats: unsupportedStage('$collStats'),
  $indexStats: unsupportedStage('$indexStats'),
  $documents: unsupportedStage('$documents'),
};

/** Validates the pipeline's shape and returns [name, spec] pairs. */
function parsePipeline(pipeline: unknown, nested: boolean): [string, unknown][] {
  if (!Array.isArray(pipeline)) fail('TypeMismatch', "'pipeline' option must be specified as an array");
  return pipeline.map((stage, i) => {
    if (!isPlainObject(stage)) fail('TypeMismatch', 'Each element of the \'pipeline\' array must be an object');
    const keys = Object.keys(stage);
    if (keys.length !== 1) fail('Location40323', 'A pipeline stage specification object must contain exactly one field.', undefined, 40323);
    const name = keys[0] as string;
    if (!STAGES[name]) fail('Location40324', `Unrecognized pipeline stage name: '${name}'`, undefined, 40324);
    if ((name === '$out' || name === '$merge') && (nested || i !== pipeline.length - 1)) {
      fail('Location40601', `${name} can only be the final stage in the pipeline`, undefined, 40601);
    }
    const spec = stage[name];
    // $text is resolved by the storage layer, which only does so for a leading $match.
    if (name === '$match' && isPlainObject(spec) && '$text' in spec && (i !== 0 || nested)) {
      fail('Location17313', '$match with $text is only allowed as the first pipeline stage', undefined, 17313);
    }
    return [name, spec];
  });
}

interface RunState {
  ctx: PipelineContext;
  vars: Record<string, unknown>;
  scores: WeakMap<object, number>;
  nested: boolean;
  inFacet: boolean;
  inLookup: boolean;
}

function makeRuntime(state: RunState): Runtime {
  const rt: Runtime = {
    ctx: state.ctx,
    vars: state.vars,
    inFacet: state.inFacet,
    inLookup: state.inLookup,
    evalContext: (doc: Doc): EvalContext => ({ root: doc, current: doc, vars: state.vars }),
    score: (doc) => state.scores.get(doc),
    carry: (from, to) => {
      const s = state.scores.get(from);
      if (s !== undefined && from !== to) state.scores.set(to, s);
      return to;
    },
    run: (docs: Iterable<Doc>, pipeline: unknown, opts: SubPipelineOptions) => {
      const foreign = opts.mode === 'foreign';
      const vars = { ...state.vars, ...(opts.vars ?? {}) };
      if (foreign) vars['__textScore'] = () => undefined;
      const sub: RunState = {
        ctx: state.ctx,
        vars,
        scores: foreign ? new WeakMap() : state.scores,
        nested: true,
        inFacet: state.inFacet || !foreign,
        inLookup: state.inLookup || foreign,
      };
      if (!foreign) sub.vars['__textScore'] = (d: Doc) => sub.scores.get(d);
      return execute([...docs], parsePipeline(pipeline, true), makeRuntime(sub));
    },
  };
  return rt;
}

function execute(docs: Doc[], stages: [string, unknown][], rt: Runtime): Doc[] {
  let current = docs;
  for (const [name, spec] of stages) current = (STAGES[name] as StageRunner)(current, spec, rt);
  return current;
}

export function runPipeline(docs: Iterable<Record<string, unknown>>, pipeline: Record<string, unknown>[], ctx: PipelineContext): Record<string, unknown>[] {
  const stages = parsePipeline(pipeline, false);
  const scores = new WeakMap<object, number>();
  const input = [...docs];
  if (ctx.textScore) {
    for (const d of input) {
      const s = ctx.textScore(d);
      if (s !== undefined) scores.set(d, s);
    }
  }
  const vars: Record<string, unknown> = { ...(ctx.variables ?? {}), NOW: ctx.now ?? new Date() };
  vars['__textScore'] = (d: Doc) => scores.get(d);
  const state: RunState = { ctx, vars, scores, nested: false, inFacet: false, inLookup: false };
  return execute(input, stages, makeRuntime(state));
}
