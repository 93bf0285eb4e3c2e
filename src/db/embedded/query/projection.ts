/**
 * find() projections: inclusion/exclusion with dotted paths, $slice, $elemMatch,
 * positional `a.$`, {$meta: 'textScore'} and (MongoDB 4.4+) computed fields.
 */
import { evaluateExpression } from '../aggregate/expressions.js';
import { fail, failLocation } from '../errors.js';
import { deepClone, isPlainObject, setField } from './compare.js';
import { compileFilter } from './match.js';
import { isNumeric, toDouble } from './numeric.js';
import { getPath, setPath, splitPath } from './paths.js';

export interface ProjectionOptions {
  textScore?: (doc: Record<string, unknown>) => number | undefined;
  /**
   * false: included values are the document's own, not copies — for a result that is serialized at
   * once and never kept or changed (a find's reply). The objects the projection builds are still
   * new, so nothing it sets (slices, positional elements) reaches the stored document.
   */
  copy?: boolean;
}

export type Projector = (doc: Record<string, unknown>, details?: { arrayIndex?: number }) => Record<string, unknown>;

type Tree = Map<string, Tree | true>;

interface Spec {
  include: string[];
  exclude: string[];
  computed: { path: string; expr: unknown }[];
  slices: { path: string; skip: number | undefined; limit: number }[];
  elemMatches: { field: string; spec: unknown }[];
  metas: string[];
  positional: string | undefined;
  idMode: 'default' | 'include' | 'exclude' | 'computed';
}

function isTrue(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (isNumeric(v)) return toDouble(v) !== 0;
  return undefined;
}

function parseSlice(path: string, arg: unknown): Spec['slices'][number] {
  if (isNumeric(arg)) return { path, skip: undefined, limit: Math.trunc(toDouble(arg)) };
  if (Array.isArray(arg) && arg.length === 2 && isNumeric(arg[0]) && isNumeric(arg[1])) {
    const limit = Math.trunc(toDouble(arg[1]));
    if (limit <= 0) failLocation(28724, 'First argument to $slice must be an array, but is of type: int');
    return { path, skip: Math.trunc(toDouble(arg[0])), limit };
  }
  return failLocation(28667, 'Invalid $slice syntax. The given syntax { $slice: ' + JSON.stringify(arg) + ' } did not match the find() syntax because :: Location31273: $slice only supports numbers and [skip, limit] arrays');
}

function parse(projection: Record<string, unknown>, prefix: string, spec: Spec): void {
  for (const [key, value] of Object.entries(projection)) {
    if (key === '' || key.startsWith('$')) fail('BadValue', `FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
    const path = prefix + key;
    if (path.endsWith('.$')) {
      if (spec.positional !== undefined) failLocation(31276, 'Cannot specify more than one positional projection per query.');
      if (isTrue(value) !== true) failLocation(31395, "positional projection cannot be used with a literal");
      spec.positional = path.slice(0, -2);
      continue;
    }
    const flag = isTrue(value);
    if (flag !== undefined) {
      if (path === '_id') spec.idMode = flag ? 'include' : 'exclude';
      else (flag ? spec.include : spec.exclude).push(path);
      continue;
    }
    if (isPlainObject(value)) {
      const first = Object.keys(value)[0];
      if (first === '$slice') { spec.slices.push(parseSlice(path, value.$slice)); continue; }
      if (first === '$elemMatch') {
        if (path.includes('.')) failLocation(31275, 'Cannot use $elemMatch projection on a nested field.');
        spec.elemMatches.push({ field: path, spec: value.$elemMatch });
        continue;
      }
      if (first === '$meta') {
        if (value.$meta !== 'textScore') fail('NotImplemented', `$meta '${String(value.$meta)}' is not supported by the embedded server`);
        spec.metas.push(path);
        continue;
      }
      if (first !== undefined && !first.startsWith('$')) { parse(value, path + '.', spec); continue; }
      if (first === undefined) failLocation(51270, 'An empty sub-projection is not a valid value. Found empty object at path');
    }
    if (path === '_id') spec.idMode = 'computed';
    spec.computed.push({ path, expr: value });
  }
}

function addPath(tree: Tree, parts: string[]): void {
  let node = tree;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (i === parts.length - 1) { node.set(p, true); return; }
    let next = node.get(p);
    if (next === true) return;
    if (!next) { next = new Map(); node.set(p, next); }
    node = next;
  }
}

function checkCollisions(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as string;
    const b = sorted[i] as string;
    if (b === a || b.startsWith(a + '.')) failLocation(31250, `Path collision at ${b} remaining portion ${b.slice(a.length + 1)}`);
  }
}

function includeTree(value: unknown, tree: Tree, copy: boolean): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const el of value) if (isPlainObject(el) || Array.isArray(el)) out.push(includeTree(el, tree, copy));
    return out;
  }
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const node = tree.get(k);
    if (node === undefined) continue;
    const v = value[k];
    if (node === true) setField(out, k, copy ? deepClone(v) : v);
    else {
      const sub = includeTree(v, node, copy);
      if (sub !== undefined) setField(out, k, sub);
    }
  }
  return out;
}

function excludeTree(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map((el) => (isPlainObject(el) || Array.isArray(el) ? excludeTree(el, tree) : deepClone(el)));
  if (!isPlainObject(value)) return deepClone(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const node = tree.get(k);
    if (node === true) continue;
    setField(out, k, node ? excludeTree(v, node) : deepClone(v));
  }
  return out;
}

function sliceArray(arr: unknown[], s: Spec['slices'][number]): unknown[] {
  if (s.skip === undefined) return s.limit >= 0 ? arr.slice(0, s.limit) : arr.slice(Math.max(0, arr.length + s.limit));
  const start = s.skip >= 0 ? Math.min(s.skip, arr.length) : Math.max(0, arr.length + s.skip);
  return arr.slice(start, start + s.limit);
}

/** Replaces the first array along `parts` in `out` by the single element at `index`. */
function applyPositional(out: Record<string, unknown>, parts: string[], index: number | undefined): void {
  const fail51246 = (): never => failLocation(51246, "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
  if (index === undefined) fail51246();
  let cur: unknown = out;
  for (const p of parts) {
    if (!isPlainObject(cur)) return;
    const next = cur[p];
    if (Array.isArray(next)) {
      if ((index as number) >= next.length) fail51246();
      setField(cur, p, [next[index as number]]);
      return;
    }
    cur = next;
  }
}

function idFirst(doc: Record<string, unknown>): Record<string, unknown> {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const out: Record<string, unknown> = { _id: doc._id };
  for (const [k, v] of Object.entries(doc)) if (k !== '_id') setField(out, k, v);
  return out;
}

export function compileProjection(projection: Record<string, unknown> | undefined, options: ProjectionOptions = {}): Projector {
  if (projection === undefined || projection === null || Object.keys(projection).length === 0) return (doc) => deepClone(doc);
  if (!isPlainObject(projection)) fail('BadValue', 'projection must be an object');
  const spec: Spec = { include: [], exclude: [], computed: [], slices: [], elemMatches: [], metas: [], positional: undefined, idMode: 'default' };
  parse(projection, '', spec);
  const inclusion = spec.include.length > 0 || spec.computed.length > 0 || spec.elemMatches.length > 0 || spec.positional !== undefined || spec.idMode === 'include' && spec.exclude.length === 0 && spec.slices.length === 0 && spec.metas.length === 0;
  if (inclusion && spec.exclude.length > 0) failLocation(31254, `Cannot do exclusion on field ${spec.exclude[0]} in inclusion projection`);
  checkCollisions([...spec.include, ...spec.exclude, ...spec.computed.map((c) => c.path), ...spec.elemMatches.map((e) => e.field),
    ...spec.slices.map((s) => s.path), ...spec.metas, ...(spec.positional ? [spec.positional] : [])]);
  const tree: Tree = new Map();
  const paths = inclusion ? [...spec.include, ...spec.slices.map((s) => s.path), ...(spec.positional ? [spec.positional] : [])] : spec.exclude;
  for (const p of paths) addPath(tree, splitPath(p));
  const includeId = spec.idMode === 'include' || spec.idMode === 'default';
  if (inclusion && includeId) tree.set('_id', true);
  if (!inclusion && spec.idMode === 'exclude') tree.set('_id', true);
  const copy = options.copy !== false;
  const elemMatchers = spec.elemMatches.map((e) => ({ field: e.field, m: compileFilter({ [e.field]: { $elemMatch: e.spec } }) }));
  if (spec.metas.length && !options.textScore) fail('BadValue', 'query requires text score metadata, but it is not available');
  return (doc, details) => {
    const out = (inclusion ? includeTree(doc, tree, copy) : excludeTree(doc, tree)) as Record<string, unknown>;
    if (spec.positional !== undefined) applyPositional(out, splitPath(spec.positional), details?.arrayIndex);
    for (const s of spec.slices) {
      const parts = splitPath(s.path);
      const v = getPath(out, parts);
      if (Array.isArray(v)) setPath(out, parts, sliceArray(v, s));
    }
    for (const e of elemMatchers) {
      const r = e.m.matchWithDetails(doc);
      const arr = doc[e.field];
      if (r.matched && r.arrayIndex !== undefined && Array.isArray(arr)) setField(out, e.field, [deepClone(arr[r.arrayIndex])]);
    }
    for (const c of spec.computed) {
      const v = evaluateExpression(c.expr, doc);
      if (v !== undefined) setPath(out, splitPath(c.path), deepClone(v));
    }
    for (const m of spec.metas) setPath(out, splitPath(m), options.textScore?.(doc) ?? 0);
    return spec.idMode === 'computed' ? idFirst(out) : out;
  };
}
