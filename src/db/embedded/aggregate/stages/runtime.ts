/** Shared types for pipeline stages: the per-run runtime every stage receives. */
import type { EvalContext } from '../expr-core.js';

export type Doc = Record<string, unknown>;

export interface PipelineContext {
  /** Documents of another collection in the same database ($lookup, $unionWith). */
  lookup?: (collection: string) => Iterable<Doc>;
  /** $$NOW for the whole command. */
  now?: Date;
  /** The aggregate command's `let` variables. */
  variables?: Record<string, unknown>;
  /** Text score of an input document when the query had `$text`. */
  textScore?: (doc: Doc) => number | undefined;
}

export interface Runtime {
  readonly ctx: PipelineContext;
  /** Variables visible to expressions: user variables, NOW and the text-score hook. */
  readonly vars: Record<string, unknown>;
  evalContext(doc: Doc): EvalContext;
  /** Text score carried by a document (from ctx.textScore at the start, then through stages). */
  score(doc: Doc): number | undefined;
  /** Carries metadata (text score) from an input document to the document a stage made from it. */
  carry(from: Doc, to: Doc): Doc;
  /**
   * Runs a sub-pipeline. `facet` keeps this run's document metadata (same input documents);
   * `foreign` starts fresh (another collection's documents) with extra variables.
   */
  run(docs: Iterable<Doc>, pipeline: unknown, opts: SubPipelineOptions): Doc[];
  /** True while running inside $facet (some stages are forbidden there). */
  readonly inFacet: boolean;
  /** True while running a $lookup / $unionWith sub-pipeline. */
  readonly inLookup: boolean;
}

export interface SubPipelineOptions {
  mode: 'facet' | 'foreign';
  vars?: Record<string, unknown>;
}

export type StageRunner = (docs: Doc[], spec: unknown, rt: Runtime) => Doc[];
