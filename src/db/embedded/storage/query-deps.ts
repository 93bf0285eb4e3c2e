/**
 * The one place the storage and command layers import the query language (query/) and the
 * aggregation pipeline (aggregate/) from, so their names are bound in a single file.
 */
export { canonicalKey, compareValues, valuesEqual } from '../query/compare.js';
export { compileFilter, type Matcher } from '../query/match.js';
export { compileProjection } from '../query/projection.js';
export { compileSort } from '../query/sort.js';
export { parseTextSearch, tokenize } from '../query/text.js';
export { applyUpdate, isOperatorUpdate, upsertSeed, validateFieldNames, validateReplacement } from '../query/update.js';
export { runPipeline, type PipelineContext } from '../aggregate/pipeline.js';
