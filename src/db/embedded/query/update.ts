/**
 * Updates: replacement documents, operator updates and aggregation-pipeline updates,
 * applied copy-on-write, plus the field-name rules for stored documents and the
 * upsert seed built from a filter.
 */
import { runPipeline } from '../aggregate/pipeline.js';
import { fail } from '../errors.js';
import { bsonTypeName, deepClone, isPlainObject, sameBson, setField } from './compare.js';
import { collectEqualities } from './match.js';
import { isOperatorObject } from './match-operators.js';
import { describe, setPath, splitPath } from './paths.js';
import { applyAddToSet, applyPop, applyPull, applyPullAll, applyPush } from './update-array.js';
import { applyFieldOperator, validateArithmeticArg, validateCurrentDateArg } from './update-fields.js';
import {
  checkArrayFilterUse, checkConcreteConflicts, comparePaths, parseArrayFilters, parseOperatorUpdate, resolvePaths,
} from './update-plan.js';

export interface UpdateOptions {
  arrayFilters?: Record<string, unknown>[];
  isUpsertInsert?: boolean;
  matchDetails?: { arrayIndex?: number };
  now?: Date;
}

export interface UpdateResult {
  doc: Record<string, unknown>;
  modified: boolean;
}

export function isOperatorUpdate(u: unknown): boolean {
  if (!isPlainObject(u)) return false;
  const first = Object.keys(u)[0];
  return first !== undefined && first.startsWith('$');
}

function checkId(id: unknown): void {
  if (id === undefined) return;
  const t = bsonTypeName(id);
  if (t === 'array') fail('InvalidIdField', `The '_id' value cannot be of type array`);
  if (t === 'regex') fail('InvalidIdField', `The '_id' value cannot be of type regex`);
  if (t === 'undefined') fail('InvalidIdField', `The '_id' value cannot be of type undefined`);
  if (isPlainObject(id)) {
    for (const k of Object.keys(id)) {
      if (k.startsWith('$')) fail('DollarPrefixedFieldName', `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`);
    }
  }
}

/** MongoDB 7.0 storage rules: no `$`-prefixed top-level field names; `_id` not an array, regex or undefined. */
export function validateFieldNames(doc: Record<string, unknown>, _options: { forStorage: true } = { forStorage: true }): void {
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) fail('DollarPrefixedFieldName', `Document can't have $ prefixed field names: ${k}`);
  }
  checkId(doc._id);
}

export function validateReplacement(doc: Record<string, unknown>): void {
  if (!isPlainObject(doc)) fail('FailedToParse', 'Replacement document must be an object');
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) {
      fail('DollarPrefixedFieldName', `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    }
  }
  checkId(doc._id);
}

function idChanged(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return before._id !== undefined && !sameBson(before._id, after._id);
}

function withIdFirst(doc: Record<string, unknown>): Record<string, unknown> {
  if (doc._id === undefined || Object.keys(doc)[0] === '_id') return doc;
  const out: Record<string, unknown> = { _id: doc._id };
  for (const [k, v] of Object.entries(doc)) if (k !== '_id') setField(out, k, v);
  return out;
}

function applyReplacement(doc: Record<string, unknown>, replacement: Record<string, unknown>): Record<string, unknown> {
  validateReplacement(replacement);
  if (idChanged(doc, replacement) && replacement._id !== undefined) {
    fail('ImmutableField', `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${describe(replacement._id)}`);
  }
  const out: Record<string, unknown> = {};
  const id = replacement._id ?? doc._id;
  if (id !== undefined) out._id = deepClone(id);
  for (const [k, v] of Object.entries(replacement)) if (k !== '_id') setField(out, k, deepClone(v));
  return out;
}

function applyPipelineUpdate(doc: Record<string, unknown>, stages: unknown[], now: Date): Record<string, unknown> {
  const allowed = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
  for (const s of stages) {
    if (!isPlainObject(s)) fail('FailedToParse', 'Each element of the update pipeline must be an object');
    const name = Object.keys(s)[0] ?? '';
    if (!allowed.has(name)) {
      fail('InvalidOptions', `${name} is not allowed to be used within an update`);
    }
  }
  const out = runPipeline([deepClone(doc)], stages as Record<string, unknown>[], { now });
  const result = out[0];
  if (!result || out.length !== 1) fail('InternalError', 'update pipeline did not produce exactly one document');
  if (idChanged(doc, result)) {
    fail('ImmutableField', `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${describe(result._id)}`);
  }
  validateFieldNames(result);
  return withIdFirst(result);
}

function applyOperators(doc: Record<string, unknown>, update: Record<string, unknown>, options: UpdateOptions, now: Date): Record<string, unknown> {
  const entries = parseOperatorUpdate(update);
  for (const e of entries) {
    if (e.op === '$inc' || e.op === '$mul') validateArithmeticArg(e.op, e.path, e.arg);
    if (e.op === '$currentDate') validateCurrentDateArg(e.path, e.arg);
  }
  const filters = parseArrayFilters(options.arrayFilters);
  checkArrayFilterUse(entries, filters, update);
  const work = deepClone(doc);
  const concrete: { op: string; parts: string[]; arg: unknown }[] = [];
  for (const e of entries) {
    if (e.op === '$setOnInsert' && !options.isUpsertInsert) continue;
    for (const parts of resolvePaths(work, e.parts, filters, options.matchDetails?.arrayIndex)) concrete.push({ op: e.op, parts, arg: e.arg });
  }
  const idText = doc._id === undefined ? '{}' : `{_id: ${describe(doc._id)}}`;
  checkConcreteConflicts(concrete.flatMap((c) => (c.op === '$rename' ? [c.parts, splitPath(c.arg as string)] : [c.parts])));
  concrete.sort((a, b) => comparePaths(a.parts, b.parts));
  for (const c of concrete) {
    switch (c.op) {
      case '$push': applyPush(work, c.parts, c.arg); break;
      case '$addToSet': applyAddToSet(work, c.parts, c.arg); break;
      case '$pop': applyPop(work, c.parts, c.arg); break;
      case '$pull': applyPull(work, c.parts, c.arg); break;
      case '$pullAll': applyPullAll(work, c.parts, c.arg); break;
      default: applyFieldOperator(c.op, work, c.parts, c.arg, { now, idText });
    }
  }
  if (!options.isUpsertInsert && idChanged(doc, work)) {
    fail('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  if (options.isUpsertInsert) checkId(work._id);
  return withIdFirst(work);
}

/** Applies an update without mutating `doc`; `modified` is false for a no-op (nModified 0). */
export function applyUpdate(doc: Record<string, unknown>, update: unknown, options: UpdateOptions = {}): UpdateResult {
  const now = options.now ?? new Date();
  let result: Record<string, unknown>;
  if (Array.isArray(update)) result = applyPipelineUpdate(doc, update, now);
  else if (!isPlainObject(update)) fail('FailedToParse', 'Update argument must be either an object or an array');
  else if (isOperatorUpdate(update)) result = applyOperators(doc, update, options, now);
  else result = applyReplacement(doc, update);
  return { doc: result, modified: !sameBson(doc, result) };
}

/**
 * The document an upsert starts from: the filter's equality fields (`{a: v}`, `$eq`,
 * inside `$and`), dotted paths expanded into subdocuments, as MongoDB does.
 */
export function upsertSeed(filter: Record<string, unknown>): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  const paths: { path: string; parts: string[] }[] = [];
  collectEqualities(filter, (path, value) => {
    const parts = splitPath(path);
    for (const p of paths) {
      if (p.path === path) fail('NotSingleValueField', `cannot infer query fields to set, path '${path}' is matched twice`);
      const n = Math.min(p.parts.length, parts.length);
      if (p.parts.slice(0, n).every((x, i) => x === parts[i])) {
        const [a, b] = p.parts.length < parts.length ? [p.path, path] : [path, p.path];
        fail('NotSingleValueField', `cannot infer query fields to set, both paths '${a}' and '${b}' are matched`);
      }
    }
    paths.push({ path, parts });
    if (isOperatorObject(value)) return;
    setPath(seed, parts, deepClone(value));
  });
  return withIdFirst(seed);
}
