/**
 * Time zones and calendar parts for the date operators. Olson names resolve through
 * `Intl.DateTimeFormat` (no date library); "+hh:mm" style offsets are fixed.
 * Calendar arithmetic works on "local milliseconds": UTC ms shifted by the zone's offset,
 * read back with the UTC getters.
 */
import { ObjectId, Timestamp } from 'bson';
import { fail } from '../errors.js';
import { typeNameForError } from './expr-core.js';

export interface TimeZone {
  readonly name: string;
  /** Offset from UTC in milliseconds at the given UTC instant. */
  offsetAt(utcMs: number): number;
}

export const UTC: TimeZone = { name: 'UTC', offsetAt: () => 0 };

const formatters = new Map<string, Intl.DateTimeFormat>();

function olsonZone(name: string): TimeZone {
  let fmt = formatters.get(name);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
      });
    } catch {
      return fail('Location40485', `unrecognized time zone identifier: "${name}"`, undefined, 40485);
    }
    formatters.set(name, fmt);
  }
  const f = fmt;
  return {
    name,
    offsetAt(utcMs: number): number {
      const p: Record<string, string> = {};
      for (const part of f.formatToParts(new Date(utcMs))) p[part.type] = part.value;
      let year = Number(p['year']);
      if (p['era'] === 'BC' || p['era'] === 'B') year = 1 - year;
      const asUtc = Date.UTC(year, Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
      const whole = Math.floor(utcMs / 1000) * 1000;
      // Date.UTC maps years 0-99 to 1900s; correct that for ancient dates.
      const fixed = year >= 0 && year < 100 ? new Date(asUtc).setUTCFullYear(year) : asUtc;
      return fixed - whole;
    },
  };
}

/** Parses MongoDB's `timezone` argument: Olson name, "UTC"/"GMT", or "+hh", "+hhmm", "+hh:mm". */
export function parseTimezone(tz: unknown): TimeZone {
  if (tz === undefined) return UTC;
  if (typeof tz !== 'string') {
    return fail('Location40517', `timezone must evaluate to a string, found ${typeNameForError(tz)}`, undefined, 40517);
  }
  if (tz === 'UTC' || tz === 'GMT' || tz === 'Z') return UTC;
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(tz);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    const off = (m[1] === '-' ? -1 : 1) * minutes * 60_000;
    return { name: tz, offsetAt: () => off };
  }
  return olsonZone(tz);
}

export function toLocalMs(utcMs: number, tz: TimeZone): number {
  return utcMs + tz.offsetAt(utcMs);
}

/** Local wall time → UTC; two passes settle offsets around DST changes. */
export function fromLocalMs(localMs: number, tz: TimeZone): number {
  const guess = localMs - tz.offsetAt(localMs);
  return localMs - tz.offsetAt(guess);
}

export interface DateParts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number;
  /** 1 = Sunday … 7 = Saturday */
  dayOfWeek: number;
  dayOfYear: number;
  /** Week of year 0-53, weeks start on Sunday (strftime %U). */
  week: number;
  isoWeek: number; isoWeekYear: number;
  /** 1 = Monday … 7 = Sunday */
  isoDayOfWeek: number;
  /** Offset in minutes from UTC. */
  offsetMinutes: number;
}

const DAY = 86_400_000;

function dayOfYearOf(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
}

export function dateParts(date: Date, tz: TimeZone): DateParts {
  const offset = tz.offsetAt(date.getTime());
  const d = new Date(date.getTime() + offset);
  const dow0 = d.getUTCDay();
  const doy = dayOfYearOf(d);
  const isoDow = ((dow0 + 6) % 7) + 1;
  const thursday = new Date(d.getTime() + (4 - isoDow) * DAY);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
    dayOfWeek: dow0 + 1, dayOfYear: doy,
    week: Math.floor((doy - 1 + 7 - dow0) / 7),
    isoWeek: Math.floor((dayOfYearOf(thursday) - 1) / 7) + 1,
    isoWeekYear: thursday.getUTCFullYear(),
    isoDayOfWeek: isoDow,
    offsetMinutes: Math.round(offset / 60_000),
  };
}

/** Accepts what MongoDB's date operators accept: Date, ObjectId (its timestamp) and Timestamp. */
export function requireDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (v instanceof ObjectId) return v.getTimestamp();
  if (v instanceof Timestamp) return new Date(v.high * 1000);
  return fail('Location16006', `can't convert from BSON type ${typeNameForError(v)} to Date`, undefined, 16006);
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Parses `startOfWeek` ("monday", "mon", case-insensitive) to 0 = Sunday … 6 = Saturday. */
export function parseStartOfWeek(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    const i = WEEKDAYS.findIndex((d) => d === s || d.slice(0, 3) === s);
    if (i >= 0) return i;
  }
  return fail('Location5439100', `startOfWeek must be a valid day of the week, found ${String(v)}`, undefined, 5439100);
}

export const UNITS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond'] as const;
export type TimeUnit = (typeof UNITS)[number];

export function parseUnit(v: unknown, op: string): TimeUnit {
  if (typeof v === 'string' && (UNITS as readonly string[]).includes(v)) return v as TimeUnit;
  return fail('FailedToParse', `${op}: unit must be one of ${UNITS.join(', ')}; found ${String(v)}`);
}

const FIXED_MS: Partial<Record<TimeUnit, number>> = { hour: 3_600_000, minute: 60_000, second: 1000, millisecond: 1 };

/** Whole days between the epoch and a local-ms value (floor). */
function localDayNumber(localMs: number): number {
  return Math.floor(localMs / DAY);
}

/**
 * Start of the bin containing `date`, as $dateTrunc computes it: bins are counted from the
 * reference 2000-01-01T00:00 local time (for weeks, the first `startOfWeek` on or after it).
 */
export function truncateDate(date: Date, unit: TimeUnit, binSize: number, tz: TimeZone, startOfWeek: number): Date {
  const utc = date.getTime();
  if (unit === 'millisecond' || ((unit === 'second' || unit === 'minute' || unit === 'hour') && tz.offsetAt(utc) % FIXED_MS[unit]! === 0)) {
    const size = FIXED_MS[unit]! * binSize;
    const ref = Date.UTC(2000, 0, 1);
    return new Date(ref + Math.floor((utc - ref) / size) * size);
  }
  const local = toLocalMs(utc, tz);
  const d = new Date(local);
  let outLocal: number;
  if (unit === 'year' || unit === 'quarter' || unit === 'month') {
    const months = unit === 'year' ? 12 * binSize : unit === 'quarter' ? 3 * binSize : binSize;
    const since = (d.getUTCFullYear() - 2000) * 12 + d.getUTCMonth();
    const start = Math.floor(since / months) * months;
    outLocal = Date.UTC(2000 + Math.floor(start / 12), ((start % 12) + 12) % 12, 1);
  } else if (unit === 'week' || unit === 'day') {
    const ref2000 = localDayNumber(Date.UTC(2000, 0, 1));
    // 2000-01-01 was a Saturday (6).
    const refDay = unit === 'week' ? ref2000 + ((startOfWeek - 6 + 7) % 7) : ref2000;
    const size = unit === 'week' ? 7 * binSize : binSize;
    const dayNum = localDayNumber(local);
    outLocal = (refDay + Math.floor((dayNum - refDay) / size) * size) * DAY;
  } else {
    const size = FIXED_MS[unit]! * binSize;
    const ref = Date.UTC(2000, 0, 1);
    outLocal = ref + Math.floor((local - ref) / size) * size;
  }
  return new Date(fromLocalMs(outLocal, tz));
}

function addMonthsLocal(local: number, months: number): number {
  const d = new Date(local);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  // Clamp to the last day of the target month (Jan 31 + 1 month = Feb 28/29), like MongoDB.
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(local);
  out.setUTCFullYear(y, m, Math.min(d.getUTCDate(), lastDay));
  return out.getTime();
}

/** $dateAdd: calendar units move local wall time, fixed units move the instant. */
export function addToDate(date: Date, unit: TimeUnit, amount: number, tz: TimeZone): Date {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return new Date(date.getTime() + amount * fixed);
  const local = toLocalMs(date.getTime(), tz);
  let out: number;
  if (unit === 'day' || unit === 'week') out = local + amount * (unit === 'week' ? 7 : 1) * DAY;
  else out = addMonthsLocal(local, amount * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1));
  return new Date(fromLocalMs(out, tz));
}

/** $dateDiff: the number of `unit` boundaries crossed between the two dates. */
export function diffDates(start: Date, end: Date, unit: TimeUnit, tz: TimeZone, startOfWeek: number): number {
  if (unit === 'millisecond') return end.getTime() - start.getTime();
  const a = toLocalMs(start.getTime(), tz);
  const b = toLocalMs(end.getTime(), tz);
  const da = new Date(a);
  const db = new Date(b);
  switch (unit) {
    case 'year': return db.getUTCFullYear() - da.getUTCFullYear();
    case 'quarter':
      return (db.getUTCFullYear() * 4 + Math.floor(db.getUTCMonth() / 3)) - (da.getUTCFullYear() * 4 + Math.floor(da.getUTCMonth() / 3));
    case 'month': return (db.getUTCFullYear() * 12 + db.getUTCMonth()) - (da.getUTCFullYear() * 12 + da.getUTCMonth());
    case 'week': {
      // Day 0 of the epoch (1970-01-01) was a Thursday (4); shift so weeks start on startOfWeek.
      const shift = (4 - startOfWeek + 7) % 7;
      return Math.floor((localDayNumber(b) + shift) / 7) - Math.floor((localDayNumber(a) + shift) / 7);
    }
    case 'day': return localDayNumber(b) - localDayNumber(a);
    default: {
      // Elapsed boundaries: one offset for both ends, so a DST change adds or removes no hours.
      const size = FIXED_MS[unit]!;
      const off = a - start.getTime();
      return Math.floor((end.getTime() + off) / size) - Math.floor(a / size);
    }
  }
}
