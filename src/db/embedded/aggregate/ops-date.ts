/** Date expression operators; every one takes MongoDB's `timezone` option. */
import { Long } from 'bson';
import { fail } from '../errors.js';
import { evaluate, isNullish, isPlainObject, objectArgs, typeNameForError, type EvalContext, type OperatorFn } from './expr-core.js';
import { isIntegral, isNumeric, toNumber } from './numbers.js';
import {
  addToDate, dateParts, diffDates, fromLocalMs, parseStartOfWeek, parseTimezone, parseUnit, requireDate, truncateDate,
  type DateParts, type TimeZone,
} from './dates.js';
import { DEFAULT_DATE_FORMAT, formatDate, validateDateFormat } from './date-format.js';
import { parseDateString } from './date-parse.js';

/** Evaluates an optional timezone: absent → UTC, null → null (the operator then returns null). */
function evalZone(expr: unknown, ctx: EvalContext): TimeZone | null {
  if (expr === undefined) return parseTimezone(undefined);
  const v = evaluate(expr, ctx);
  return isNullish(v) ? null : parseTimezone(v);
}

function partOperator(name: string, pick: (p: DateParts) => number): OperatorFn {
  return (args, ctx) => {
    let dateExpr: unknown = args;
    let zoneExpr: unknown;
    if (Array.isArray(args)) {
      if (args.length !== 1) fail('Location40536', `${name} accepts exactly one argument if given an array, but was given ${args.length}`, undefined, 40536);
      dateExpr = args[0];
    } else if (isPlainObject(args) && !Object.keys(args).some((k) => k.startsWith('$'))) {
      const a = objectArgs(name, args, ['date', 'timezone'], ['date']);
      dateExpr = a['date'];
      zoneExpr = a['timezone'];
    }
    const date = evaluate(dateExpr, ctx);
    const tz = evalZone(zoneExpr, ctx);
    if (isNullish(date) || tz === null) return null;
    return pick(dateParts(requireDate(date), tz));
  };
}

function dateToString(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$dateToString', args, ['date', 'format', 'timezone', 'onNull'], ['date']);
  const format = a['format'] === undefined ? DEFAULT_DATE_FORMAT : evaluate(a['format'], ctx);
  if (!isNullish(format)) {
    if (typeof format !== 'string') fail('Location18533', `$dateToString requires that 'format' be a string, found: ${typeNameForError(format)}`, undefined, 18533);
    validateDateFormat(format);
  }
  const date = evaluate(a['date'], ctx);
  const tz = evalZone(a['timezone'], ctx);
  if (isNullish(date)) return 'onNull' in a ? evaluate(a['onNull'], ctx) : null;
  if (isNullish(format) || tz === null) return null;
  return formatDate(requireDate(date), format as string, tz);
}

function dateFromString(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$dateFromString', args, ['dateString', 'format', 'timezone', 'onError', 'onNull'], ['dateString']);
  const s = evaluate(a['dateString'], ctx);
  const format = a['format'] === undefined ? undefined : evaluate(a['format'], ctx);
  if (format !== undefined && format !== null && typeof format !== 'string') {
    fail('Location40684', `$dateFromString requires that 'format' be a string, found: ${typeNameForError(format)}`, undefined, 40684);
  }
  const tzValue = a['timezone'] === undefined ? undefined : evaluate(a['timezone'], ctx);
  if (isNullish(s)) return 'onNull' in a ? evaluate(a['onNull'], ctx) : null;
  if (format === null || tzValue === null) return null;
  try {
    if (typeof s !== 'string') fail('ConversionFailure', `$dateFromString requires that 'dateString' be a string, found: ${typeNameForError(s)} with value ${String(s)}`, undefined, 241);
    return parseDateString(s, format, tzValue === undefined ? undefined : parseTimezone(tzValue));
  } catch (e) {
    if ('onError' in a && (e as { code?: number }).code === 241) return evaluate(a['onError'], ctx);
    throw e;
  }
}

function requirePositiveInt(op: string, what: string, v: unknown): number {
  if (!isNumeric(v) || !isIntegral(v) || toNumber(v) <= 0) {
    fail('Location5439017', `${op} requires '${what}' to be a positive integer, found: ${String(v)}`, undefined, 5439017);
  }
  return toNumber(v);
}

function dateTrunc(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$dateTrunc', args, ['date', 'unit', 'binSize', 'timezone', 'startOfWeek'], ['date', 'unit']);
  const date = evaluate(a['date'], ctx);
  const unit = evaluate(a['unit'], ctx);
  const bin = a['binSize'] === undefined ? 1 : evaluate(a['binSize'], ctx);
  const tz = evalZone(a['timezone'], ctx);
  const sow = a['startOfWeek'] === undefined ? undefined : evaluate(a['startOfWeek'], ctx);
  if (isNullish(date) || isNullish(unit) || isNullish(bin) || tz === null || (unit === 'week' && sow === null)) return null;
  const u = parseUnit(unit, '$dateTrunc');
  if (u === 'millisecond') fail('FailedToParse', "$dateTrunc: unit must be one of year, quarter, month, week, day, hour, minute, second; found millisecond");
  return truncateDate(requireDate(date), u, requirePositiveInt('$dateTrunc', 'binSize', bin), tz, parseStartOfWeek(sow ?? undefined));
}

function dateAdd(name: string, sign: 1 | -1): OperatorFn {
  return (args, ctx) => {
    const a = objectArgs(name, args, ['startDate', 'unit', 'amount', 'timezone'], ['startDate', 'unit', 'amount']);
    const start = evaluate(a['startDate'], ctx);
    const unit = evaluate(a['unit'], ctx);
    const amount = evaluate(a['amount'], ctx);
    const tz = evalZone(a['timezone'], ctx);
    if (isNullish(start) || isNullish(unit) || isNullish(amount) || tz === null) return null;
    if (!isNumeric(amount) || !isIntegral(amount)) {
      fail('Location5166403', `${name} expects integer amount of time units, found: ${String(amount)}`, undefined, 5166403);
    }
    return addToDate(requireDate(start), parseUnit(unit, name), sign * toNumber(amount), tz);
  };
}

function dateDiff(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$dateDiff', args, ['startDate', 'endDate', 'unit', 'timezone', 'startOfWeek'], ['startDate', 'endDate', 'unit']);
  const start = evaluate(a['startDate'], ctx);
  const end = evaluate(a['endDate'], ctx);
  const unit = evaluate(a['unit'], ctx);
  const tz = evalZone(a['timezone'], ctx);
  const sow = a['startOfWeek'] === undefined ? undefined : evaluate(a['startOfWeek'], ctx);
  if (isNullish(start) || isNullish(end) || isNullish(unit) || tz === null || (unit === 'week' && sow === null)) return null;
  const n = diffDates(requireDate(start), requireDate(end), parseUnit(unit, '$dateDiff'), tz, parseStartOfWeek(sow ?? undefined));
  // MongoDB returns a 64-bit integer.
  return Long.fromNumber(n);
}

function dateToParts(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$dateToParts', args, ['date', 'timezone', 'iso8601'], ['date']);
  const date = evaluate(a['date'], ctx);
  const tz = evalZone(a['timezone'], ctx);
  if (isNullish(date) || tz === null) return null;
  const p = dateParts(requireDate(date), tz);
  const time = { hour: p.hour, minute: p.minute, second: p.second, millisecond: p.millisecond };
  if (evaluate(a['iso8601'], ctx) === true) return { isoWeekYear: p.isoWeekYear, isoWeek: p.isoWeek, isoDayOfWeek: p.isoDayOfWeek, ...time };
  return { year: p.year, month: p.month, day: p.day, ...time };
}

function dateFromParts(args: unknown, ctx: EvalContext): unknown {
  const fields = ['year', 'month', 'day', 'hour', 'minute', 'second', 'millisecond', 'isoWeekYear', 'isoWeek', 'isoDayOfWeek', 'timezone'];
  const a = objectArgs('$dateFromParts', args, fields);
  const v: Record<string, number> = {};
  for (const f of fields.slice(0, -1)) {
    if (a[f] === undefined) continue;
    const x = evaluate(a[f], ctx);
    if (isNullish(x)) return null;
    if (!isNumeric(x)) fail('Location40515', `'${f}' must evaluate to an integer, found ${typeNameForError(x)}`, undefined, 40515);
    v[f] = toNumber(x);
  }
  const tz = evalZone(a['timezone'], ctx);
  if (tz === null) return null;
  const time = (((v['hour'] ?? 0) * 60 + (v['minute'] ?? 0)) * 60 + (v['second'] ?? 0)) * 1000 + (v['millisecond'] ?? 0);
  let day: number;
  if (v['isoWeekYear'] !== undefined) {
    const jan4 = Date.UTC(v['isoWeekYear'], 0, 4);
    const jan4Dow = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
    day = jan4 + ((v['isoWeek'] ?? 1) - 1) * 7 * 86_400_000 + ((v['isoDayOfWeek'] ?? 1) - jan4Dow) * 86_400_000;
  } else {
    if (v['year'] === undefined) fail('Location40516', "$dateFromParts requires either 'year' or 'isoWeekYear' to be present", undefined, 40516);
    // Date.UTC carries out-of-range months/days over, as MongoDB does.
    const d = new Date(0);
    d.setUTCFullYear(v['year'], (v['month'] ?? 1) - 1, v['day'] ?? 1);
    day = d.getTime();
  }
  return new Date(fromLocalMs(day + time, tz));
}

export const dateOperators: Record<string, OperatorFn> = {
  $dateToString: dateToString,
  $dateFromString: dateFromString,
  $dateTrunc: dateTrunc,
  $dateAdd: dateAdd('$dateAdd', 1),
  $dateSubtract: dateAdd('$dateSubtract', -1),
  $dateDiff: dateDiff,
  $dateToParts: dateToParts,
  $dateFromParts: dateFromParts,
  $year: partOperator('$year', (p) => p.year),
  $month: partOperator('$month', (p) => p.month),
  $dayOfMonth: partOperator('$dayOfMonth', (p) => p.day),
  $hour: partOperator('$hour', (p) => p.hour),
  $minute: partOperator('$minute', (p) => p.minute),
  $second: partOperator('$second', (p) => p.second),
  $millisecond: partOperator('$millisecond', (p) => p.millisecond),
  $dayOfWeek: partOperator('$dayOfWeek', (p) => p.dayOfWeek),
  $dayOfYear: partOperator('$dayOfYear', (p) => p.dayOfYear),
  $week: partOperator('$week', (p) => p.week),
  $isoWeek: partOperator('$isoWeek', (p) => p.isoWeek),
  $isoWeekYear: partOperator('$isoWeekYear', (p) => p.isoWeekYear),
  $isoDayOfWeek: partOperator('$isoDayOfWeek', (p) => p.isoDayOfWeek),
};
