/** aggregate: a leading $match uses the query planner; $out / $merge at the end write to a collection. */
import { fail } from '../errors.js';
import { canonicalKey, runPipeline } from '../storage/query-deps.js';
import { findDocs } from '../storage/query-plan.js';
import type { Doc, JournalOp } from '../storage/types.js';
import { firstBatchReply } from './batches.js';
import { isPlainObject, nonNegative, optDoc, type CommandContext, type Handler } from './context.js';
import { withId } from './write.js';

function target(spec: unknown, db: string, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string') return { db: typeof spec.db === 'string' ? spec.db : db, coll: spec.coll };
  return fail('FailedToParse', `${stage} requires a collection name or { db, coll }`);
}

export const aggregate: Handler = async (cmd, db, ctx) => {
  const collName = cmd.aggregate;
  if (typeof collName !== 'string' && collName !== 1) fail('InvalidNamespace', 'aggregate needs a collection name, or 1 for a collection-less aggregation');
  if (!Array.isArray(cmd.pipeline) || !cmd.pipeline.every(isPlainObject)) fail('TypeMismatch', "BSON field 'aggregate.pipeline' is missing or the wrong type, expected type 'array'");
  const explain = cmd.explain === true;
  const cursorOpt = optDoc(cmd, 'cursor');
  if (!cursorOpt && !explain) fail('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  let pipeline = cmd.pipeline as Doc[];
  const variables = optDoc(cmd, 'let');
  for (let i = 0; i < pipeline.length - 1; i++) {
    const stage = Object.keys(pipeline[i]!)[0];
    if (stage === '$out' || stage === '$merge') fail('Location40601', `${stage} can only be the final stage in the pipeline`, undefined, 40601);
  }
  const last = pipeline[pipeline.length - 1];
  const writeStage = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (writeStage) pipeline = pipeline.slice(0, -1);

  const coll = typeof collName === 'string' ? ctx.engine.getCollection(db, collName) : undefined;
  let input: Iterable<Doc> = typeof collName === 'string' && coll ? coll.docs.values() : [];
  let textScore: ((d: Doc) => number | undefined) | undefined;
  const first = pipeline[0];
  if (coll && first && isPlainObject(first.$match)) {
    // The leading $match goes through the planner (indexes, $text scores).
    const found = findDocs(coll, first.$match, {}, variables);
    input = found.docs;
    textScore = found.textScore;
    pipeline = pipeline.slice(1);
  }
  if (explain) return { stages: [], queryPlanner: { namespace: `${db}.${String(collName)}`, winningPlan: { stage: 'COLLSCAN' } }, ok: 1 };
  const lookup = (name: string): Iterable<Doc> => ctx.engine.getCollection(db, name)?.docs.values() ?? [];
  const results = runPipeline(input, pipeline, { lookup, now: new Date(), variables, textScore });
  if (writeStage) {
    await writeResults(ctx, db, writeStage, results);
    return firstBatchReply(ctx, `${db}.${String(collName)}`, [], {});
  }
  return firstBatchReply(ctx, `${db}.${typeof collName === 'string' ? collName : '$cmd.aggregate'}`, results, { batchSize: nonNegative(cursorOpt ?? {}, 'batchSize') });
};

async function writeResults(ctx: CommandContext, db: string, stage: Doc, results: Doc[]): Promise<void> {
  const ops: JournalOp[] = [];
  try {
    if ('$out' in stage) {
      const t = target(stage.$out, db, '$out');
      const out = ctx.engine.ensureCollection(t.db, t.coll, ops);
      for (const doc of [...out.docs.values()]) ctx.engine.writeDoc(out, doc, undefined, ops);
      for (const doc of results) ctx.engine.writeDoc(out, undefined, withId(doc), ops);
      return;
    }
    const spec = typeof stage.$merge === 'string' ? { into: stage.$merge } : stage.$merge;
    if (!isPlainObject(spec)) fail('FailedToParse', '$merge requires a collection name or a specification document');
    const t = target(spec.into, db, '$merge');
    const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? (spec.on as string[]) : [String(spec.on)];
    const whenMatched = spec.whenMatched ?? 'merge';
    const whenNotMatched = spec.whenNotMatched ?? 'insert';
    if (typeof whenMatched !== 'string') fail('NotImplemented', '$merge with a whenMatched pipeline is not supported by the embedded server');
    const out = ctx.engine.ensureCollection(t.db, t.coll, ops);
    for (const raw of results) {
      const filter: Doc = {};
      for (const f of on) filter[f] = raw[f] ?? null;
      const existing = findDocs(out, filter, { limit: 1 }).docs[0];
      if (!existing) {
        if (whenNotMatched === 'fail') fail('MergeStageNoMatchingDocument', '$merge could not find a matching document in the target collection for at least one document in the source collection', undefined, 13113);
        if (whenNotMatched === 'insert') ctx.engine.writeDoc(out, undefined, withId(raw), ops);
        continue;
      }
      if (whenMatched === 'fail') fail('DuplicateKey', `$merge found a matching document for ${canonicalKey(filter)}`);
      if (whenMatched === 'keepExisting') continue;
      const next = whenMatched === 'replace' ? { ...raw, _id: existing._id } : { ...existing, ...raw, _id: existing._id };
      ctx.engine.writeDoc(out, existing, withId(next), ops);
    }
  } finally {
    await ctx.engine.commit(ops);
  }
}
