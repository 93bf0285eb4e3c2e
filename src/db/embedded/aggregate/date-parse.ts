/**
 * $dateFromString parsing. Without a format: ISO 8601 dates and date-times (space or "T"),
 * with optional fraction and zone. With a format: the $dateToString specifiers.
 */
import { fail } from '../errors.js';
import { fromLocalMs, parseTimezone, UTC, type TimeZone } from './dates.js';

function parseError(s: string, why: string): never {
  return fail('ConversionFailure', `Error parsing date string '${s}'; ${why}`, undefined, 241);
}

interface Fields {
  year?: number; month?: number; day?: number; hour?: number; minute?: number; second?: number; ms?: number;
  dayOfYear?: number; isoYear?: number; isoWeek?: number; isoDow?: number;
  zone?: TimeZone;
}

const ISO = /^([+-]?\d{4,})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?|[A-Za-z]+\/[A-Za-z_/+-]+)?$/;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

function zoneFromString(z: string): TimeZone {
  if (z === 'Z') return UTC;
  return parseTimezone(z);
}

function parseDefault(s: string): Fields {
  const t = s.trim();
  const m = ISO.exec(t) ?? SLASHED.exec(t);
  if (!m) return parseError(s, 'the date string is not in a recognised format');
  const f: Fields = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0),
    ms: m[7] ? Math.floor(Number('0.' + m[7]) * 1000 + 1e-6) : 0,
  };
  if (m[8]) f.zone = zoneFromString(m[8]);
  return f;
}

const PATTERNS: Record<string, [string, keyof Fields | 'zoneHhmm' | 'zoneMinutes' | null]> = {
  Y: ['(\\d{4})', 'year'], m: ['(\\d{1,2})', 'month'], d: ['(\\d{1,2})', 'day'], H: ['(\\d{1,2})', 'hour'],
  M: ['(\\d{1,2})', 'minute'], S: ['(\\d{1,2})', 'second'], L: ['(\\d{1,3})', 'ms'], j: ['(\\d{1,3})', 'dayOfYear'],
  G: ['(\\d{4})', 'isoYear'], V: ['(\\d{1,2})', 'isoWeek'], u: ['(\\d)', 'isoDow'],
  z: ['([+-]\\d{2}:?\\d{2})', 'zoneHhmm'], Z: ['([+-]\\d{1,4})', 'zoneMinutes'], '%': ['%', null],
};

function parseWithFormat(s: string, format: string): Fields {
  let re = '^';
  const slots: (keyof Fields | 'zoneHhmm' | 'zoneMinutes')[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch !== '%') { re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); continue; }
    const spec = PATTERNS[format[i + 1] ?? ''];
    if (!spec) fail('Location18536', `Invalid format character '%${format[i + 1] ?? ''}' in format string`, undefined, 18536);
    re += spec[0];
    if (spec[1]) slots.push(spec[1]);
    i++;
  }
  const m = new RegExp(re + '$').exec(s);
  if (!m) return parseError(s, `the date string does not match the format '${format}'`);
  const f: Fields = {};
  slots.forEach((slot, i) => {
    const v = m[i + 1] as string;
    if (slot === 'zoneHhmm') f.zone = parseTimezone(v.includes(':') ? v : `${v.slice(0, 3)}:${v.slice(3)}`);
    else if (slot === 'zoneMinutes') {
      const mins = Number(v);
      f.zone = { name: v, offsetAt: () => mins * 60_000 };
    } else if (slot !== 'zone') f[slot] = Number(v);
  });
  return f;
}

function fieldsToLocalMs(s: string, f: Fields): number {
  let base: number;
  if (f.isoYear !== undefined || f.isoWeek !== undefined) {
    // ISO week date: week 1 holds January 4th.
    const y = f.isoYear ?? 1970;
    const jan4 = Date.UTC(y, 0, 4);
    const jan4Dow = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
    base = jan4 + ((f.isoWeek ?? 1) - 1) * 7 * 86_400_000 + ((f.isoDow ?? 1) - jan4Dow) * 86_400_000;
  } else if (f.dayOfYear !== undefined) {
    base = Date.UTC(f.year ?? 1970, 0, 1) + (f.dayOfYear - 1) * 86_400_000;
  } else {
    const month = f.month ?? 1;
    const day = f.day ?? 1;
    const year = f.year ?? 1970;
    if (month < 1 || month > 12) parseError(s, 'invalid month');
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > last) parseError(s, 'invalid day of month');
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    base = d.getTime();
  }
  const hour = f.hour ?? 0;
  const minute = f.minute ?? 0;
  const second = f.second ?? 0;
  if (hour > 23 || minute > 59 || second > 59) parseError(s, 'invalid time');
  return base + ((hour * 60 + minute) * 60 + second) * 1000 + (f.ms ?? 0);
}

/**
 * Parses a date string. A zone inside the string wins; passing both it and `timezone`
 * is an error in MongoDB (40554).
 */
export function parseDateString(s: string, format: string | undefined, tz: TimeZone | undefined): Date {
  const f = format === undefined ? parseDefault(s) : parseWithFormat(s, format);
  if (f.zone && tz) {
    fail('Location40554', "you cannot pass in a date/time string with time zone information ('" + s + "') together with a timezone argument", undefined, 40554);
  }
  const local = fieldsToLocalMs(s, f);
  return new Date(fromLocalMs(local, f.zone ?? tz ?? UTC));
}
