/**
 * $project, $addFields/$set and $unset. Aggregation projection differs from find
 * projection: expressions are allowed anywhere in an inclusion projection, $slice and
 * $elemMatch projection operators are not, and nested objects are sub-projections.
 */
import { fail } from '../../errors.js';
import { setField } from '../../query/compare.js';
import { evaluate, isPlainObject, type EvalContext } from '../expr-core.js';
import type { Doc, StageRunner } from './runtime.js';
import { withNested } from './unwind.js';

type Entry = { t: 'include' } | { t: 'exclude' } | { t: 'expr'; expr: unknown } | { t: 'node'; node: Tree };
type Tree = Map<string, Entry>;

function isExpressionObject(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length > 0 && (keys[0] as string).startsWith('$');
}

/** Inserts `path` into the tree, detecting MongoDB's path collisions. */
function insert(tree: Tree, path: string, entry: Entry, stage: string): void {
  const parts = path.split('.');
  let node = tree;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p === '' || p.startsWith('$')) fail('Location16410', `Invalid ${stage} :: caused by :: FieldPath field names may not start with '$' or be empty: ${path}`, undefined, 16410);
    const last = i === parts.length - 1;
    const existing = node.get(p);
    if (last) {
      if (existing) fail('Location31250', `Invalid ${stage} :: caused by :: Path collision at ${path}`, undefined, 31250);
      node.set(p, entry);
    } else {
      if (existing && existing.t !== 'node') fail('Location31249', `Invalid ${stage} :: caused by :: Path collision at ${path} remaining portion ${parts.slice(i).join('.')}`, undefined, 31249);
      let next: Tree;
      if (existing) next = existing.node;
      else {
        next = new Map();
        node.set(p, { t: 'node', node: next });
      }
      node = next;
    }
  }
}

interface ParsedProjection { tree: Tree; exclusion: boolean; includeId: boolean; metas: [string, unknown][] }

function parseProject(spec: unknown): ParsedProjection {
  if (!isPlainObject(spec)) fail('Location15969', '$project specification must be an object', undefined, 15969);
  if (Object.keys(spec).length === 0) fail('Location51272', 'Invalid $project :: caused by :: projection specification must have at least one field', undefined, 51272);
  const state = { inclusion: false, exclusion: false, includeId: true, explicitId: false };
  const metas: [string, unknown][] = [];
  const tree: Tree = new Map();
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix + k;
      if (path === '_id' && (typeof v === 'number' || typeof v === 'boolean')) {
        state.includeId = Boolean(v);
        state.explicitId = true;
        continue;
      }
      if (typeof v === 'number' || typeof v === 'boolean') {
        if (v) {
          if (state.exclusion) fail('Location31253', `Invalid $project :: caused by :: Cannot do inclusion on field ${path} in exclusion projection`, undefined, 31253);
          state.inclusion = true;
          insert(tree, path, { t: 'include' }, '$project');
        } else {
          if (state.inclusion) fail('Location31254', `Invalid $project :: caused by :: Cannot do exclusion on field ${path} in inclusion projection`, undefined, 31254);
          state.exclusion = true;
          insert(tree, path, { t: 'exclude' }, '$project');
        }
      } else if (isPlainObject(v) && !isExpressionObject(v)) {
        if (Object.keys(v).length === 0) fail('Location51270', `Invalid $project :: caused by :: An empty sub-projection is not a valid value. Found empty object at path ${path}`, undefined, 51270);
        walk(v, path + '.');
      } else {
        if (isPlainObject(v) && ('$slice' in v || '$elemMatch' in v)) {
          fail('Location31324', `Invalid $project :: caused by :: Cannot use ${Object.keys(v)[0]} projection operator in aggregation $project`, undefined, 31324);
        }
        if (isPlainObject(v) && Object.keys(v)[0] === '$meta') {
          // $meta fields do not decide between inclusion and exclusion.
          metas.push([path, v]);
          continue;
        }
        if (state.exclusion) fail('Location31252', `Invalid $project :: caused by :: Cannot use expression other than $meta in exclusion projection`, undefined, 31252);
        state.inclusion = true;
        insert(tree, path, { t: 'expr', expr: v }, '$project');
      }
    }
  };
  walk(spec, '');
  // `{ _id: 1 }` alone is an inclusion projection; `{ _id: 0 }` alone an exclusion one.
  const exclusion = state.exclusion || (!state.inclusion && !(state.includeId && state.explicitId));
  if (exclusion && !state.includeId) insert(tree, '_id', { t: 'exclude' }, '$project');
  if (!exclusion) for (const [path, e] of metas) insert(tree, path, { t: 'expr', expr: e }, '$project');
  return { tree, exclusion, includeId: state.includeId, metas: exclusion ? metas : [] };
}

function hasComputed(tree: Tree): boolean {
  for (const e of tree.values()) if (e.t === 'expr' || (e.t === 'node' && hasComputed(e.node))) return true;
  return false;
}

function applyInclusionValue(value: unknown, tree: Tree, ctx: EvalContext): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const el of value) {
      if (Array.isArray(el) || isPlainObject(el)) out.push(applyInclusionValue(el, tree, ctx));
      else if (hasComputed(tree)) out.push(applyInclusion({}, tree, ctx));
    }
    return out;
  }
  if (isPlainObject(value)) return applyInclusion(value, tree, ctx);
  return hasComputed(tree) ? applyInclusion({}, tree, ctx) : undefined;
}

function applyInclusion(doc: Record<string, unknown>, tree: Tree, ctx: EvalContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const done = new Set<string>();
  // Included fields keep the input document's order; computed fields follow in spec order.
  for (const [k, v] of Object.entries(doc)) {
    const e = tree.get(k);
    if (!e) continue;
    if (e.t === 'include') { setField(out, k, v); done.add(k); } else if (e.t === 'node' && (isPlainObject(v) || Array.isArray(v))) {
      const r = applyInclusionValue(v, e.node, ctx);
      if (r !== undefined) setField(out, k, r);
      done.add(k);
    }
  }
  for (const [k, e] of tree) {
    if (done.has(k)) continue;
    if (e.t === 'expr') {
      const v = evaluate(e.expr, ctx);
      if (v !== undefined) setField(out, k, v);
    } else if (e.t === 'node' && hasComputed(e.node)) {
      setField(out, k, applyInclusionValue(doc[k], e.node, ctx));
    }
  }
  return out;
}

function applyExclusion(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map((el) => (Array.isArray(el) || isPlainObject(el) ? applyExclusion(el, tree) : el));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const e = tree.get(k);
    if (e?.t === 'exclude') continue;
    setField(out, k, e?.t === 'node' ? applyExclusion(v, e.node) : v);
  }
  return out;
}

function projectDoc(doc: Doc, p: ParsedProjection, ctx: EvalContext): Doc {
  if (p.exclusion) {
    let out = applyExclusion(doc, p.tree) as Doc;
    for (const [path, e] of p.metas) out = withNested(out, path.split('.'), evaluate(e, ctx));
    return out;
  }
  const tree: Tree = p.includeId && !p.tree.has('_id') ? new Map([['_id', { t: 'include' } as Entry], ...p.tree]) : p.tree;
  const out = applyInclusion(doc, tree, ctx);
  // _id always leads, even when computed.
  if ('_id' in out && Object.keys(out)[0] !== '_id') {
    const { _id: id, ...rest } = out;
    return { _id: id, ...rest };
  }
  return out;
}

export const projectStage: StageRunner = (docs, spec, rt) => {
  const p = parseProject(spec);
  return docs.map((d) => rt.carry(d, projectDoc(d, p, rt.evalContext(d))));
};

function parseAddFields(spec: unknown, stage: string): Tree {
  if (!isPlainObject(spec)) fail('Location40272', `${stage} specification stage must be an object, got ${typeof spec}`, undefined, 40272);
  const tree: Tree = new Map();
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      if (isPlainObject(v) && !isExpressionObject(v) && Object.keys(v).length > 0) walk(v, prefix + k + '.');
      else insert(tree, prefix + k, { t: 'expr', expr: v }, stage);
    }
  };
  walk(spec, '');
  return tree;
}

function addFieldsValue(value: unknown, tree: Tree, ctx: EvalContext): unknown {
  if (Array.isArray(value)) return value.map((el) => addFieldsValue(el, tree, ctx));
  return addFieldsDoc(isPlainObject(value) ? value : {}, tree, ctx);
}

function addFieldsDoc(doc: Record<string, unknown>, tree: Tree, ctx: EvalContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) setField(out, k, v);
  for (const [k, e] of tree) {
    if (e.t === 'expr') {
      const v = evaluate(e.expr, ctx);
      // $$REMOVE (or any missing value) removes the field.
      if (v === undefined) delete out[k];
      else setField(out, k, v);
    } else if (e.t === 'node') {
      setField(out, k, addFieldsValue(out[k], e.node, ctx));
    }
  }
  return out;
}

export function addFieldsStage(stage: string): StageRunner {
  return (docs, spec, rt) => {
    const tree = parseAddFields(spec, stage);
    return docs.map((d) => rt.carry(d, addFieldsDoc(d, tree, rt.evalContext(d))));
  };
}

export const unsetStage: StageRunner = (docs, spec, rt) => {
  const fields = typeof spec === 'string' ? [spec] : spec;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string')) {
    fail('Location31002', '$unset specification must be a string or an array containing only string values', undefined, 31002);
  }
  const tree: Tree = new Map();
  for (const f of fields as string[]) insert(tree, f, { t: 'exclude' }, '$unset');
  return docs.map((d) => rt.carry(d, applyExclusion(d, tree) as Doc));
};
