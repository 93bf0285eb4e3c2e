/**
 * Date operators with time zones, against the examples of MongoDB's reference pages
 * (https://www.mongodb.com/docs/manual/reference/operator/aggregation/<name>/).
 */
import { Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../src/db/embedded/aggregate/expressions.js';
import { runPipeline } from '../../../src/db/embedded/aggregate/pipeline.js';
import { CommandError } from '../../../src/db/embedded/errors.js';

const ev = (expr: unknown, doc: Record<string, unknown> = {}): unknown => evaluateExpression(expr, doc);
const d = (iso: string): Date => new Date(iso);

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandError) return e.code;
    throw e;
  }
  return undefined;
}

describe('$dateToString', () => {
  // $dateToString reference example: sales doc with date 2014-01-01T08:15:39.736Z
  const sale = { _id: 1, date: d('2014-01-01T08:15:39.736Z') };
  it('formats with Olson and offset time zones', () => {
    expect(ev({ $dateToString: { format: '%Y-%m-%d', date: '$date' } }, sale)).toBe('2014-01-01');
    expect(ev({ $dateToString: { format: '%H:%M:%S:%L%z', date: '$date', timezone: 'America/New_York' } }, sale)).toBe('03:15:39:736-0500');
    expect(ev({ $dateToString: { format: '%H:%M:%S:%L%z', date: '$date', timezone: '+04:30' } }, sale)).toBe('12:45:39:736+0430');
    expect(ev({ $dateToString: { format: '%Z', date: '$date', timezone: 'America/New_York' } }, sale)).toBe('-300');
    expect(ev({ $dateToString: { format: '%Z', date: '$date', timezone: '+04:30' } }, sale)).toBe('270');
    expect(ev({ $dateToString: { date: '$date' } }, sale)).toBe('2014-01-01T08:15:39.736Z');
  });

  it('uses the zone for the calendar day (America/Sao_Paulo is UTC−3)', () => {
    const late = { at: d('2024-03-10T02:30:00Z') };
    expect(ev({ $dateToString: { format: '%Y-%m-%d %H:%M', date: '$at', timezone: 'America/Sao_Paulo' } }, late)).toBe('2024-03-09 23:30');
    expect(ev({ $dateToString: { format: '%Y-%m-%d', date: '$at' } }, late)).toBe('2024-03-10');
  });

  it('prints the week and day specifiers', () => {
    // 2016-01-01 is a Friday: ISO week 53 of 2015; %U week 0; day of year 001.
    const fmt = '%G-W%V-%u %U %w %j %%';
    expect(ev({ $dateToString: { format: fmt, date: d('2016-01-01T12:00:00Z') } })).toBe('2015-W53-5 00 6 001 %');
  });

  it('handles null dates, onNull and bad formats', () => {
    expect(ev({ $dateToString: { date: '$missing' } })).toBeNull();
    expect(ev({ $dateToString: { date: null, onNull: 'n/a' } })).toBe('n/a');
    expect(codeOf(() => ev({ $dateToString: { date: d('2020-01-01'), format: '%Q' } }))).toBe(18536);
    expect(codeOf(() => ev({ $dateToString: { date: 'x' } }))).toBe(16006);
    expect(codeOf(() => ev({ $dateToString: { date: d('2020-01-01'), timezone: 'Mars/Base' } }))).toBe(40485);
  });
});

describe('date part operators', () => {
  // $year/$month/... reference example: date ISODate("2014-01-01T08:15:39.736Z")
  const doc = { date: d('2014-01-01T08:15:39.736Z') };
  it('extract parts in UTC', () => {
    const parts = ['$year', '$month', '$dayOfMonth', '$hour', '$minute', '$second', '$millisecond', '$dayOfYear', '$dayOfWeek', '$week'];
    expect(parts.map((op) => ev({ [op]: '$date' }, doc))).toEqual([2014, 1, 1, 8, 15, 39, 736, 1, 4, 0]);
  });

  it('extract ISO week parts (2016-01-01 is in ISO week 53 of 2015)', () => {
    const x = { date: d('2016-01-01T00:00:00Z') };
    expect(ev({ $isoWeek: '$date' }, x)).toBe(53);
    expect(ev({ $isoWeekYear: '$date' }, x)).toBe(2015);
    expect(ev({ $isoDayOfWeek: '$date' }, x)).toBe(5);
  });

  it('accept a timezone', () => {
    // $hour reference example: 2017-02-08T12:10:40.787Z in America/Chicago is 06:10.
    expect(ev({ $hour: { date: d('2017-02-08T12:10:40.787Z'), timezone: 'America/Chicago' } })).toBe(6);
    expect(ev({ $minute: { date: d('2017-02-08T12:10:40.787Z'), timezone: '+04:30' } })).toBe(40);
    // Sunday 01:30 UTC is still Saturday evening in São Paulo.
    const at = d('2024-03-10T01:30:00Z');
    expect(ev({ $dayOfWeek: at })).toBe(1);
    expect(ev({ $dayOfWeek: { date: at, timezone: 'America/Sao_Paulo' } })).toBe(7);
    expect(ev({ $dayOfMonth: { date: at, timezone: 'America/Sao_Paulo' } })).toBe(9);
    expect(ev({ $year: null })).toBeNull();
    expect(ev({ $year: { date: at, timezone: null } })).toBeNull();
  });
});

describe('$dateTrunc', () => {
  it('matches the cakeSales example: 2-week bins, Monday weeks, America/Los_Angeles', () => {
    const cases: [string, string][] = [
      ['2020-05-18T14:10:30.000Z', '2020-05-11T07:00:00.000Z'],
      ['2021-03-20T11:30:05.000Z', '2021-03-15T07:00:00.000Z'],
      ['2021-01-11T06:31:15.000Z', '2021-01-04T08:00:00.000Z'],
      ['2020-02-08T13:13:23.000Z', '2020-02-03T08:00:00.000Z'],
      ['2019-05-18T16:09:01.000Z', '2019-05-13T07:00:00.000Z'],
      ['2019-01-08T06:12:03.000Z', '2019-01-07T08:00:00.000Z'],
    ];
    for (const [input, want] of cases) {
      const got = ev({ $dateTrunc: { date: d(input), unit: 'week', binSize: 2, timezone: 'America/Los_Angeles', startOfWeek: 'Monday' } });
      expect((got as Date).toISOString()).toBe(want);
    }
  });

  it('truncates by hour bins and six-month bins from the 2000-01-01 reference', () => {
    expect(ev({ $dateTrunc: { date: d('2021-03-20T11:30:05Z'), unit: 'hour' } })).toEqual(d('2021-03-20T11:00:00Z'));
    expect(ev({ $dateTrunc: { date: d('2021-03-20T11:30:05Z'), unit: 'hour', binSize: 2 } })).toEqual(d('2021-03-20T10:00:00Z'));
    expect(ev({ $dateTrunc: { date: d('2020-05-18T14:10:30Z'), unit: 'month', binSize: 6 } })).toEqual(d('2020-01-01T00:00:00Z'));
    expect(ev({ $dateTrunc: { date: d('2021-08-01T00:00:00Z'), unit: 'quarter' } })).toEqual(d('2021-07-01T00:00:00Z'));
    expect(ev({ $dateTrunc: { date: d('2021-08-05T10:00:00Z'), unit: 'year' } })).toEqual(d('2021-01-01T00:00:00Z'));
  });

  it('truncates to the local day and week (default Sunday) in a time zone', () => {
    const at = d('2024-03-10T01:30:00Z'); // Saturday 22:30 in São Paulo
    expect(ev({ $dateTrunc: { date: at, unit: 'day', timezone: 'America/Sao_Paulo' } })).toEqual(d('2024-03-09T03:00:00Z'));
    expect(ev({ $dateTrunc: { date: at, unit: 'week', timezone: 'America/Sao_Paulo' } })).toEqual(d('2024-03-03T03:00:00Z'));
    expect(ev({ $dateTrunc: { date: at, unit: 'week' } })).toEqual(d('2024-03-10T00:00:00Z'));
    expect(ev({ $dateTrunc: { date: null, unit: 'day' } })).toBeNull();
    expect(codeOf(() => ev({ $dateTrunc: { date: at, unit: 'fortnight' } }))).toBe(9);
  });
});

describe('$dateAdd, $dateSubtract, $dateDiff', () => {
  it('adds calendar units in local time and clamps month ends', () => {
    expect(ev({ $dateAdd: { startDate: d('2020-10-31T12:10:05Z'), unit: 'day', amount: 3 } })).toEqual(d('2020-11-03T12:10:05Z'));
    expect(ev({ $dateAdd: { startDate: d('2021-01-31T00:00:00Z'), unit: 'month', amount: 1 } })).toEqual(d('2021-02-28T00:00:00Z'));
    expect(ev({ $dateSubtract: { startDate: d('2021-03-31T00:00:00Z'), unit: 'month', amount: 1 } })).toEqual(d('2021-02-28T00:00:00Z'));
    expect(ev({ $dateAdd: { startDate: d('2020-02-29T00:00:00Z'), unit: 'year', amount: 1 } })).toEqual(d('2021-02-28T00:00:00Z'));
    // Across the New York DST change a day is 23 hours, 24 hours stay 24 hours.
    const start = d('2021-03-13T12:00:00Z');
    expect(ev({ $dateAdd: { startDate: start, unit: 'day', amount: 1, timezone: 'America/New_York' } })).toEqual(d('2021-03-14T11:00:00Z'));
    expect(ev({ $dateAdd: { startDate: start, unit: 'hour', amount: 24, timezone: 'America/New_York' } })).toEqual(d('2021-03-14T12:00:00Z'));
    expect(ev({ $dateAdd: { startDate: null, unit: 'day', amount: 1 } })).toBeNull();
  });

  it('counts boundaries crossed, as a long', () => {
    const diff = (start: string, end: string, unit: string, extra: Record<string, unknown> = {}): number =>
      (ev({ $dateDiff: { startDate: d(start), endDate: d(end), unit, ...extra } }) as Long).toNumber();
    expect(diff('2023-12-31T23:00:00Z', '2024-01-01T01:00:00Z', 'year')).toBe(1);
    expect(diff('2024-01-31T00:00:00Z', '2024-02-01T00:00:00Z', 'month')).toBe(1);
    expect(diff('2024-01-01T23:00:00Z', '2024-01-02T01:00:00Z', 'day')).toBe(1);
    expect(diff('2024-01-01T23:00:00Z', '2024-01-02T01:00:00Z', 'day', { timezone: '+05:00' })).toBe(0);
    // Saturday → Monday crosses one Sunday-start and one Monday-start week boundary, no Friday one.
    expect(diff('2024-01-06T12:00:00Z', '2024-01-08T12:00:00Z', 'week')).toBe(1);
    expect(diff('2024-01-06T12:00:00Z', '2024-01-08T12:00:00Z', 'week', { startOfWeek: 'mon' })).toBe(1);
    expect(diff('2024-01-06T12:00:00Z', '2024-01-08T12:00:00Z', 'week', { startOfWeek: 'friday' })).toBe(0);
    expect(diff('2024-01-01T00:00:00Z', '2024-01-01T00:00:01.5Z', 'millisecond')).toBe(1500);
    expect(diff('2024-01-01T10:59:00Z', '2024-01-01T11:01:00Z', 'hour')).toBe(1);
    // 01:00 EST → 04:00 EDT is two elapsed hours across the spring-forward change.
    expect(diff('2021-03-14T06:00:00Z', '2021-03-14T08:00:00Z', 'hour', { timezone: 'America/New_York' })).toBe(2);
  });
});

describe('$dateFromString and $dateFromParts', () => {
  it('parses ISO strings, formats and zones ($dateFromString examples)', () => {
    expect(ev({ $dateFromString: { dateString: '2017-02-08T12:10:40.787', timezone: 'America/New_York' } })).toEqual(d('2017-02-08T17:10:40.787Z'));
    expect(ev({ $dateFromString: { dateString: '2017-02-08' } })).toEqual(d('2017-02-08T00:00:00Z'));
    expect(ev({ $dateFromString: { dateString: '2017-02-08T12:10:40+02:00' } })).toEqual(d('2017-02-08T10:10:40Z'));
    expect(ev({ $dateFromString: { dateString: '15-06-2018', format: '%d-%m-%Y' } })).toEqual(d('2018-06-15T00:00:00Z'));
    expect(ev({ $dateFromString: { dateString: 'not a date', onError: 'bad' } })).toBe('bad');
    expect(ev({ $dateFromString: { dateString: null, onNull: 'none' } })).toBe('none');
    expect(codeOf(() => ev({ $dateFromString: { dateString: 'garbage' } }))).toBe(241);
    expect(codeOf(() => ev({ $dateFromString: { dateString: '2017-02-08T12:10:40Z', timezone: 'Europe/London' } }))).toBe(40554);
  });

  it('builds dates from parts in a zone', () => {
    expect(ev({ $dateFromParts: { year: 2017, month: 2, day: 8, hour: 12, timezone: 'America/New_York' } })).toEqual(d('2017-02-08T17:00:00Z'));
    expect(ev({ $dateFromParts: { isoWeekYear: 2017, isoWeek: 6, isoDayOfWeek: 3 } })).toEqual(d('2017-02-08T00:00:00Z'));
    expect(ev({ $dateToParts: { date: d('2017-01-01T01:29:09.123Z'), timezone: '+01:00' } }))
      .toEqual({ year: 2017, month: 1, day: 1, hour: 2, minute: 29, second: 9, millisecond: 123 });
  });
});

describe('$$NOW in a pipeline', () => {
  it('is the context time, the same for every document', () => {
    const now = d('2024-05-01T00:00:00Z');
    const out = runPipeline([{ _id: 1 }, { _id: 2 }], [{ $addFields: { at: '$$NOW', tomorrow: { $dateAdd: { startDate: '$$NOW', unit: 'day', amount: 1 } } } }], { now });
    expect(out).toEqual([{ _id: 1, at: now, tomorrow: d('2024-05-02T00:00:00Z') }, { _id: 2, at: now, tomorrow: d('2024-05-02T00:00:00Z') }]);
  });
});
