/**
 * Exact arithmetic and comparison across MongoDB's four numeric types:
 * JS number (int32/double), bson Long (int64) and bson Decimal128.
 * Mixed comparisons are done on exact rationals (BigInt) so that
 * `Long(2^53 + 1)` and `2^53` never compare equal by rounding.
 */
import { Decimal128, Long } from 'bson';

export type NumericKind = 'int' | 'double' | 'long' | 'decimal';

/** A finite number as coefficient × 10^exp (decimal) or num / 2^k (binary). */
interface Exact {
  special?: 'nan' | 'inf' | '-inf';
  num: bigint;
  den: bigint;
}

export function isNumeric(v: unknown): v is number | Long | Decimal128 {
  if (typeof v === 'number') return true;
  if (v === null || typeof v !== 'object') return false;
  const t = (v as { _bsontype?: string })._bsontype;
  return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
}

export function numericKind(v: unknown): NumericKind | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0) ? 'int' : 'double';
  if (v === null || typeof v !== 'object') return undefined;
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'Long': return 'long';
    case 'Decimal128': return 'decimal';
    case 'Int32': return 'int';
    case 'Double': return 'double';
    default: return undefined;
  }
}

/** Approximate JS number for any numeric value (for $mod, $size arguments, etc.). */
export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Long') return (v as Long).toNumber();
  if (t === 'Decimal128') return Number((v as Decimal128).toString());
  if (t === 'Int32' || t === 'Double') return (v as { value: number }).value;
  return NaN;
}

export function isNaNValue(v: unknown): boolean {
  if (typeof v === 'number') return Number.isNaN(v);
  if ((v as { _bsontype?: string } | null)?._bsontype === 'Decimal128') return (v as Decimal128).toString().endsWith('NaN');
  return false;
}

interface DecimalParts { special?: 'nan' | 'inf' | '-inf'; coef: bigint; exp: number }

export function parseDecimal(s: string): DecimalParts {
  if (s.endsWith('NaN')) return { special: 'nan', coef: 0n, exp: 0 };
  if (s === 'Infinity') return { special: 'inf', coef: 0n, exp: 0 };
  if (s === '-Infinity') return { special: '-inf', coef: 0n, exp: 0 };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return { special: 'nan', coef: 0n, exp: 0 };
  const frac = m[3] ?? '';
  const coef = BigInt((m[2] ?? '') + frac || '0');
  return { coef: m[1] === '-' ? -coef : coef, exp: Number(m[4] ?? 0) - frac.length };
}

function pow(base: bigint, e: number): bigint {
  return base ** BigInt(e);
}

/** Decompose a finite double into an exact rational. */
function doubleExact(x: number): Exact {
  if (Number.isNaN(x)) return { special: 'nan', num: 0n, den: 1n };
  if (x === Infinity) return { special: 'inf', num: 0n, den: 1n };
  if (x === -Infinity) return { special: '-inf', num: 0n, den: 1n };
  if (Number.isInteger(x)) return { num: BigInt(x), den: 1n };
  let k = 0;
  let m = x;
  while (!Number.isInteger(m)) { m *= 2; k++; }
  return { num: BigInt(m), den: pow(2n, k) };
}

function toExact(v: unknown): Exact {
  if (typeof v === 'number') return doubleExact(v);
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Long') return { num: (v as Long).toBigInt(), den: 1n };
  if (t === 'Decimal128') {
    const p = parseDecimal((v as Decimal128).toString());
    if (p.special) return { special: p.special, num: 0n, den: 1n };
    return p.exp >= 0 ? { num: p.coef * pow(10n, p.exp), den: 1n } : { num: p.coef, den: pow(10n, -p.exp) };
  }
  return doubleExact(toDouble(v));
}

const SPECIAL_RANK = { nan: -2, '-inf': -1, inf: 1 } as const;

/** Numeric comparison as MongoDB orders numbers: NaN below every other number. */
export function compareNumeric(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    return an && bn ? 0 : an ? -1 : 1;
  }
  const ea = toExact(a);
  const eb = toExact(b);
  if (ea.special || eb.special) {
    const ra = ea.special ? SPECIAL_RANK[ea.special] : 0;
    const rb = eb.special ? SPECIAL_RANK[eb.special] : 0;
    return Math.sign(ra - rb);
  }
  const l = ea.num * eb.den;
  const r = eb.num * ea.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Canonical text for a numeric value: equal numbers (any type) give equal text. */
export function canonicalNumber(v: unknown): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
  const e = toExact(v);
  if (e.special) return e.special;
  if (e.num === 0n) return '0';
  // den is 2^k or 10^k: rewrite as coef × 10^-k, then strip trailing zeros.
  let coef: bigint;
  let exp = 0;
  if (e.den === 1n) coef = e.num;
  else {
    let k = 0;
    let d = e.den;
    let c = e.num;
    while (d % 10n === 0n) { d /= 10n; k++; }
    while (d % 2n === 0n) { d /= 2n; c *= 5n; k++; }
    while (d % 5n === 0n) { d /= 5n; c *= 2n; k++; }
    coef = c;
    exp = -k;
  }
  while (coef % 10n === 0n) { coef /= 10n; exp++; }
  if (exp >= 0 && exp <= 400) return (coef * pow(10n, exp)).toString();
  return `${coef}e${exp}`;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function decimalFrom(v: unknown): DecimalParts {
  if ((v as { _bsontype?: string })._bsontype === 'Decimal128') return parseDecimal((v as Decimal128).toString());
  if ((v as { _bsontype?: string })._bsontype === 'Long') return { coef: (v as Long).toBigInt(), exp: 0 };
  // MongoDB converts a double to decimal with 15 significant digits.
  const d = toDouble(v);
  if (!Number.isFinite(d)) return parseDecimal(Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity');
  return parseDecimal(Number.isInteger(d) && Math.abs(d) < 1e15 ? String(d) : d.toPrecision(15));
}

function decimalOut(p: DecimalParts): Decimal128 {
  if (p.special) return Decimal128.fromString(p.special === 'nan' ? 'NaN' : p.special === 'inf' ? 'Infinity' : '-Infinity');
  return Decimal128.fromStringWithRounding(`${p.coef}E${p.exp}`);
}

function decimalArith(a: unknown, b: unknown, op: 'add' | 'mul'): Decimal128 {
  const x = decimalFrom(a);
  const y = decimalFrom(b);
  if (x.special || y.special) {
    const r = op === 'add' ? toDouble(decimalOut(x)) + toDouble(decimalOut(y)) : toDouble(decimalOut(x)) * toDouble(decimalOut(y));
    return decimalOut(parseDecimal(Number.isNaN(r) ? 'NaN' : r > 0 ? 'Infinity' : '-Infinity'));
  }
  if (op === 'mul') return decimalOut({ coef: x.coef * y.coef, exp: x.exp + y.exp });
  const exp = Math.min(x.exp, y.exp);
  return decimalOut({ coef: x.coef * pow(10n, x.exp - exp) + y.coef * pow(10n, y.exp - exp), exp });
}

/**
 * a + b or a × b with MongoDB's type promotion (int < long < double < decimal).
 * Returns undefined when a long result overflows (MongoDB reports an error then).
 */
export function arith(a: unknown, b: unknown, op: 'add' | 'mul'): number | Long | Decimal128 | undefined {
  const ka = numericKind(a);
  const kb = numericKind(b);
  if (ka === 'decimal' || kb === 'decimal') return decimalArith(a, b, op);
  if (ka === 'double' || kb === 'double') return op === 'add' ? toDouble(a) + toDouble(b) : toDouble(a) * toDouble(b);
  if (ka === 'long' || kb === 'long') {
    const x = ka === 'long' ? (a as Long).toBigInt() : BigInt(toDouble(a));
    const y = kb === 'long' ? (b as Long).toBigInt() : BigInt(toDouble(b));
    const r = op === 'add' ? x + y : x * y;
    if (r < LONG_MIN || r > LONG_MAX) return undefined;
    return Long.fromBigInt(r);
  }
  // int op int: overflow of int32 promotes to long.
  const r = op === 'add' ? toDouble(a) + toDouble(b) : toDouble(a) * toDouble(b);
  if (r >= -2147483648 && r <= 2147483647) return r;
  const big = op === 'add' ? BigInt(toDouble(a)) + BigInt(toDouble(b)) : BigInt(toDouble(a)) * BigInt(toDouble(b));
  return Long.fromBigInt(big);
}

/** Zero of the same numeric type as v (for $mul on a missing field). */
export function zeroLike(v: unknown): number | Long | Decimal128 {
  const k = numericKind(v);
  if (k === 'long') return Long.fromNumber(0);
  if (k === 'decimal') return Decimal128.fromString('0');
  return 0;
}
