import { offsetMs } from '../admin/timezone.js';

/** The value of a `datetime-local` field: wall-clock time in the shop's time zone, to the minute. */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** "2025-06-01T09:00" in the shop's time zone → a Date; undefined when the text is not such a time. */
export function fromLocal(text: string, timeZone: string): Date | undefined {
  if (!LOCAL_TIME.test(text)) return undefined;
  const guess = new Date(`${text}:00Z`);
  if (Number.isNaN(guess.getTime())) return undefined;
  return new Date(guess.getTime() - offsetMs(guess, timeZone));
}

/** A Date → the `datetime-local` text in the shop's time zone ('' for none). */
export function toLocal(date: Date | undefined, timeZone: string): string {
  return date ? new Date(date.getTime() + offsetMs(date, timeZone)).toISOString().slice(0, 16) : '';
}
