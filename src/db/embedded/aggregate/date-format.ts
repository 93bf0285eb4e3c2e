/** $dateToString's format specifiers. */
import { fail } from '../errors.js';
import { dateParts, type DateParts, type TimeZone } from './dates.js';

export const DEFAULT_DATE_FORMAT = '%Y-%m-%dT%H:%M:%S.%LZ';

function pad(n: number, width: number): string {
  return String(Math.abs(n)).padStart(width, '0');
}

function offsetHhmm(minutes: number): string {
  return (minutes < 0 ? '-' : '+') + pad(Math.floor(Math.abs(minutes) / 60), 2) + pad(Math.abs(minutes) % 60, 2);
}

const SPECIFIERS: Record<string, (p: DateParts) => string> = {
  d: (p) => pad(p.day, 2),
  G: (p) => pad(p.isoWeekYear, 4),
  H: (p) => pad(p.hour, 2),
  j: (p) => pad(p.dayOfYear, 3),
  L: (p) => pad(p.millisecond, 3),
  m: (p) => pad(p.month, 2),
  M: (p) => pad(p.minute, 2),
  S: (p) => pad(p.second, 2),
  u: (p) => String(p.isoDayOfWeek),
  U: (p) => pad(p.week, 2),
  V: (p) => pad(p.isoWeek, 2),
  w: (p) => String(p.dayOfWeek),
  Y: (p) => pad(p.year, 4),
  z: (p) => offsetHhmm(p.offsetMinutes),
  // MongoDB prints the minutes offset as a plain signed number: "-300", "270".
  Z: (p) => String(p.offsetMinutes),
  '%': () => '%',
};

/** Rejects a bad format string before any document is seen, as MongoDB does. */
export function validateDateFormat(format: string): void {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    if (i === format.length - 1) fail('Location18535', 'Unmatched \'%\' at end of format string', undefined, 18535);
    const c = format[i + 1] as string;
    if (!SPECIFIERS[c]) fail('Location18536', `Invalid format character '%${c}' in format string`, undefined, 18536);
    i++;
  }
}

export function formatDate(date: Date, format: string, tz: TimeZone): string {
  validateDateFormat(format);
  const p = dateParts(date, tz);
  if (p.year < 0 || p.year > 9999) {
    fail('Location18537', `Could not convert date to string: date component was outside the supported range of 0-9999: ${p.year}`, undefined, 18537);
  }
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (ch === '%') {
      out += (SPECIFIERS[format[i + 1] as string] as (p: DateParts) => string)(p);
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}
