// "Evaluating Matches" of the unified test format (unified-test-format.md):
// - root-level documents may carry extra keys, nested documents may not;
// - arrays match element by element and must have the same length;
// - int32/int64/double compare by value, every other type must be the same type;
// - a document whose first and only key starts with "$$" is a special operator.
import { EJSON } from 'bson';
import { describe, docEntries, docGet, isDocument, isNumeric, matchesTypeAlias, numberLte, typeName } from './bson-values.js';
import type { Doc } from './bson-values.js';
import { bytesEqual, scalarMismatch } from './scalar-equal.js';

/** What the matcher needs from the test's entity map. */
export interface MatchContext {
  /** A BSON entity (saved result); throws if undefined or not a BSON value. */
  entityValue(name: string): unknown;
  /** The lsid document `{ id: Binary }` of a session entity; throws if undefined. */
  sessionLsid(name: string): unknown;
}

export class MatchError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`at ${path}: ${reason}`);
    this.name = 'MatchError';
  }
}

export const NO_ENTITIES: MatchContext = {
  entityValue(name) {
    throw new Error(`no entity map: cannot resolve entity "${name}"`);
  },
  sessionLsid(name) {
    throw new Error(`no entity map: cannot resolve session "${name}"`);
  },
};

/** The single `$$` key of an operator document, or undefined for an ordinary value. */
export function operatorOf(value: unknown): string | undefined {
  if (!isDocument(value) || value instanceof Map) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$$') ? keys[0] : undefined;
}

interface State {
  ctx: MatchContext;
}

/**
 * Throws MatchError on the first difference. `root` says whether `actual` (when a document) is
 * a root-level document. Arrays of root documents (find/aggregate results) use matchRootArray.
 */
export function assertMatch(expected: unknown, actual: unknown, ctx: MatchContext, root = true, path = '$'): void {
  match(expected, actual, { ctx }, root, path);
}

/** find/aggregate/listCollections: same length, each element matched as a root-level document. */
export function assertMatchRootArray(expected: unknown, actual: unknown, ctx: MatchContext, path = '$'): void {
  if (!Array.isArray(expected)) {
    assertMatch(expected, actual, ctx, true, path);
    return;
  }
  if (!Array.isArray(actual)) throw new MatchError(path, `expected an array, got ${typeName(actual)} ${describe(actual)}`);
  if (actual.length !== expected.length) {
    throw new MatchError(path, `expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`);
  }
  expected.forEach((e, i) => match(e, actual[i], { ctx }, true, `${path}[${i}]`));
}

/** Boolean form, for tests and for event filtering. */
export function matches(expected: unknown, actual: unknown, ctx: MatchContext = NO_ENTITIES, root = true): boolean {
  try {
    assertMatch(expected, actual, ctx, root);
    return true;
  } catch (error) {
    if (error instanceof MatchError) return false;
    throw error;
  }
}

function match(expected: unknown, actual: unknown, st: State, root: boolean, path: string): void {
  const op = operatorOf(expected);
  if (op !== undefined) {
    special(op, (expected as Doc)[op], actual, st, root, path);
    return;
  }
  if (isDocument(expected)) {
    matchDocument(expected, actual, st, root, path);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new MatchError(path, `expected an array, got ${typeName(actual)} ${describe(actual)}`);
    if (actual.length !== expected.length) {
      throw new MatchError(path, `expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`);
    }
    expected.forEach((e, i) => match(e, actual[i], st, false, `${path}[${i}]`));
    return;
  }
  if (actual === undefined) throw new MatchError(path, `expected ${describe(expected)}, value is absent`);
  const reason = scalarMismatch(expected, actual);
  if (reason !== null) {
    throw new MatchError(
      path,
      `expected ${describe(expected)} (${typeName(expected)}), got ${describe(actual)} (${typeName(actual)}): ${reason}`,
    );
  }
}

function matchDocument(expected: Doc | Map<string, unknown>, actual: unknown, st: State, root: boolean, path: string): void {
  if (!isDocument(actual)) {
    throw new MatchError(path, `expected a document, got ${typeName(actual)} ${describe(actual)}`);
  }
  const expectedEntries = docEntries(expected);
  for (const [key, value] of expectedEntries) {
    const childPath = `${path}.${key}`;
    const child = docGet(actual, key);
    const present = child !== undefined;
    const op = operatorOf(value);
    if (op === '$$exists') {
      const want = (value as Doc)[op];
      if (typeof want !== 'boolean') throw new Error(`${childPath}: $$exists needs a boolean`);
      if (want && !present) throw new MatchError(childPath, 'expected the key to exist, it is absent');
      if (!want && present) throw new MatchError(childPath, `expected the key to be absent, found ${describe(child)}`);
      continue;
    }
    if (op === '$$unsetOrMatches' && !present) continue;
    if (!present) throw new MatchError(childPath, `missing key (expected ${describe(value)})`);
    match(value, child, st, false, childPath);
  }
  if (!root) {
    const allowed = new Set(expectedEntries.map(([k]) => k));
    const extra = docEntries(actual)
      .map(([k]) => k)
      .filter((k) => !allowed.has(k));
    if (extra.length > 0) {
      throw new MatchError(path, `unexpected extra key(s) ${extra.join(', ')} in nested document ${describe(actual)}`);
    }
  }
}

function hexToBytes(hex: unknown, where: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new Error(`${where}: malformed hex string ${JSON.stringify(hex)}`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function parseHexBytes(hex: unknown): Uint8Array {
  return hexToBytes(hex, '$$hexBytes');
}

function special(op: string, arg: unknown, actual: unknown, st: State, root: boolean, path: string): void {
  switch (op) {
    case '$$exists': {
      // Outside a document (e.g. a whole result): "exists" means a value was produced.
      if (typeof arg !== 'boolean') throw new Error(`${path}: $$exists needs a boolean`);
      if (arg !== (actual !== undefined)) {
        throw new MatchError(path, arg ? 'expected a value, none present' : `expected no value, got ${describe(actual)}`);
      }
      return;
    }
    case '$$type': {
      const aliases = Array.isArray(arg) ? arg : [arg];
      if (aliases.length === 0 || !aliases.every((a) => typeof a === 'string')) {
        throw new Error(`${path}: $$type needs a string or an array of strings`);
      }
      if (actual === undefined) throw new MatchError(path, `expected a value of type ${aliases.join('|')}, value is absent`);
      if (!aliases.some((a) => matchesTypeAlias(actual, a as string))) {
        throw new MatchError(path, `expected type ${aliases.join('|')}, got ${typeName(actual)} ${describe(actual)}`);
      }
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      match(arg, actual, st, root, path);
      return;
    case '$$matchesEntity': {
      if (typeof arg !== 'string') throw new Error(`${path}: $$matchesEntity needs an entity name`);
      match(st.ctx.entityValue(arg), actual, st, root, path);
      return;
    }
    case '$$matchesHexBytes': {
      const want = hexToBytes(arg, `${path}: $$matchesHexBytes`);
      let got: Uint8Array | undefined;
      if (actual instanceof Uint8Array) got = actual;
      else if (typeof actual === 'string') got = Uint8Array.from(Buffer.from(actual, 'latin1'));
      if (got === undefined) throw new MatchError(path, `expected bytes, got ${typeName(actual)} ${describe(actual)}`);
      if (!bytesEqual(want, got)) {
        throw new MatchError(path, `expected bytes ${Buffer.from(want).toString('hex')}, got ${Buffer.from(got).toString('hex')}`);
      }
      return;
    }
    case '$$sessionLsid': {
      if (typeof arg !== 'string') throw new Error(`${path}: $$sessionLsid needs a session name`);
      if (actual === undefined) throw new MatchError(path, `expected the lsid of ${arg}, value is absent`);
      // An lsid is compared whole: no extra keys, same UUID bytes.
      match(st.ctx.sessionLsid(arg), actual, st, false, path);
      return;
    }
    case '$$lte': {
      if (!isNumeric(arg)) throw new Error(`${path}: $$lte needs a number`);
      if (!isNumeric(actual)) throw new MatchError(path, `expected a number <= ${describe(arg)}, got ${typeName(actual)} ${describe(actual)}`);
      if (!numberLte(actual, arg)) throw new MatchError(path, `expected <= ${describe(arg)}, got ${describe(actual)}`);
      return;
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') throw new MatchError(path, `expected an Extended JSON string, got ${typeName(actual)}`);
      let parsed: unknown;
      try {
        parsed = EJSON.parse(actual, { relaxed: false });
      } catch {
        throw new MatchError(path, `not valid Extended JSON: ${actual.slice(0, 100)}`);
      }
      match(arg, parsed, st, false, path);
      return;
    }
    case '$$matchAsRoot': {
      if (!isDocument(arg)) throw new Error(`${path}: $$matchAsRoot needs a document`);
      if (!isDocument(actual)) throw new MatchError(path, `expected a document, got ${typeName(actual)}`);
      match(arg, actual, st, true, path);
      return;
    }
    default:
      throw new Error(`${path}: unsupported special operator ${op}`);
  }
}

/**
 * test.outcome: "the rules in Evaluating Matches do not apply and the documents MUST match exactly"
 * (key order free). No operators, no extra keys at any level; numbers still compare by value.
 */
export function assertSameDocuments(expected: unknown[], actual: unknown[], path = '$'): void {
  if (actual.length !== expected.length) {
    throw new MatchError(path, `expected ${expected.length} documents, got ${actual.length}: ${describe(actual)}`);
  }
  expected.forEach((e, i) => exact(e, actual[i], `${path}[${i}]`));
}

function exact(expected: unknown, actual: unknown, path: string): void {
  if (isDocument(expected)) {
    if (!isDocument(actual)) throw new MatchError(path, `expected a document, got ${typeName(actual)} ${describe(actual)}`);
    const e = docEntries(expected);
    const a = docEntries(actual);
    const keys = new Set(e.map(([k]) => k));
    const extra = a.map(([k]) => k).filter((k) => !keys.has(k));
    if (extra.length > 0) throw new MatchError(path, `unexpected extra key(s) ${extra.join(', ')} in ${describe(actual)}`);
    for (const [k, v] of e) {
      const child = docGet(actual, k);
      if (child === undefined) throw new MatchError(`${path}.${k}`, `missing key (expected ${describe(v)})`);
      exact(v, child, `${path}.${k}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new MatchError(path, `expected an array, got ${typeName(actual)} ${describe(actual)}`);
    if (actual.length !== expected.length) {
      throw new MatchError(path, `expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`);
    }
    expected.forEach((v, i) => exact(v, actual[i], `${path}[${i}]`));
    return;
  }
  const reason = scalarMismatch(expected, actual);
  if (reason !== null) {
    throw new MatchError(path, `expected ${describe(expected)} (${typeName(expected)}), got ${describe(actual)} (${typeName(actual)}): ${reason}`);
  }
}
