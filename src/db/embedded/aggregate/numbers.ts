/**
 * Numeric helpers for expressions. Values follow DESIGN.md: int32/double are JS numbers,
 * int64 is `Long`, decimal is `Decimal128`. MongoDB widens int → long → double → decimal;
 * decimal arithmetic here goes through doubles (a documented simplification).
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import { isNumeric, numericKind } from '../query/numeric.js';

export type NumKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export { isNumeric };

export function numKind(v: unknown): NumKind {
  return numericKind(v) ?? 'double';
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  if (v instanceof Double || v instanceof Int32) return v.valueOf();
  return Number.NaN;
}

const RANK: Record<NumKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

export function widest(...vals: unknown[]): NumKind {
  let k: NumKind = 'int';
  for (const v of vals) {
    const kv = numKind(v);
    if (RANK[kv] > RANK[k]) k = kv;
  }
  return k;
}

/** Packs a JS result into the representation of `kind`; int overflow promotes to long like MongoDB. */
export function makeNumber(n: number, kind: NumKind): unknown {
  if (kind === 'decimal') return Decimal128.fromString(Number.isFinite(n) ? String(n) : n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN');
  if (kind === 'double') return n;
  if (!Number.isFinite(n) || !Number.isInteger(n)) return n;
  if (kind === 'int' && n >= INT32_MIN && n <= INT32_MAX) return n;
  if (!Number.isSafeInteger(n)) return n; // long overflow: MongoDB falls back to double
  return Long.fromNumber(n);
}

/** Exact 64-bit sum/product for long operands when they fit; else double. */
export function addNumbers(a: unknown, b: unknown): unknown {
  const kind = widest(a, b);
  if (kind === 'long') {
    const la = a instanceof Long ? a : Long.fromNumber(toNumber(a));
    const lb = b instanceof Long ? b : Long.fromNumber(toNumber(b));
    const r = la.add(lb);
    // Detect signed overflow: same-sign operands producing a different-sign result.
    if (la.isNegative() === lb.isNegative() && r.isNegative() !== la.isNegative()) return toNumber(a) + toNumber(b);
    return r;
  }
  return makeNumber(toNumber(a) + toNumber(b), kind);
}

export function multiplyNumbers(a: unknown, b: unknown): unknown {
  return makeNumber(toNumber(a) * toNumber(b), widest(a, b));
}

export function subtractNumbers(a: unknown, b: unknown): unknown {
  const kind = widest(a, b);
  if (kind === 'long') {
    const la = a instanceof Long ? a : Long.fromNumber(toNumber(a));
    const lb = b instanceof Long ? b : Long.fromNumber(toNumber(b));
    return la.subtract(lb);
  }
  return makeNumber(toNumber(a) - toNumber(b), kind);
}

/** True when the value is a whole number representable as a 64-bit integer. */
export function isIntegral(v: unknown): boolean {
  if (v instanceof Long) return true;
  const n = toNumber(v);
  return Number.isInteger(n);
}

/** Round half to even, as MongoDB's $round does. */
export function roundHalfEven(x: number, place: number): number {
  const f = Math.pow(10, place);
  const scaled = x * f;
  // Work around binary representation noise (e.g. 2.675 * 100 = 267.49999...).
  const r = Math.round(scaled * 1e9) / 1e9;
  const floor = Math.floor(r);
  const diff = r - floor;
  let res: number;
  if (diff > 0.5) res = floor + 1;
  else if (diff < 0.5) res = floor;
  else res = floor % 2 === 0 ? floor : floor + 1;
  return res / f;
}

export function truncTo(x: number, place: number): number {
  const f = Math.pow(10, place);
  return Math.trunc(x * f) / f;
}
