import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysInRange, isDay, isTimeZone, startOfDay } from '../../src/modules/admin/timezone.js';
import { resolveRange } from '../../src/modules/admin/dashboard-service.js';

describe('shop time zone days', () => {
  it('finds local midnight, across DST changes too', () => {
    expect(startOfDay('2026-03-10', 'UTC').toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(startOfDay('2026-03-10', 'America/Sao_Paulo').toISOString()).toBe('2026-03-10T03:00:00.000Z');
    expect(startOfDay('2026-07-01', 'Europe/Lisbon').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // Lisbon moves to summer time on 29 March 2026: that day has 23 hours.
    const day = startOfDay('2026-03-29', 'Europe/Lisbon');
    const next = startOfDay('2026-03-30', 'Europe/Lisbon');
    expect(next.getTime() - day.getTime()).toBe(23 * 3600_000);
    expect(startOfDay('2026-01-01', 'Asia/Kolkata').toISOString()).toBe('2025-12-31T18:30:00.000Z');
  });

  it('names the local day of an instant', () => {
    expect(dayOf(new Date('2026-03-10T02:59:59Z'), 'America/Sao_Paulo')).toBe('2026-03-09');
    expect(dayOf(new Date('2026-03-10T03:00:00Z'), 'America/Sao_Paulo')).toBe('2026-03-10');
  });

  it('validates days and zones, and counts days', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-1-01')).toBe(false);
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysInRange('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('resolves the dashboard range: default 30 days, errors for bad input', () => {
    expect(resolveRange({}, '2026-03-31')).toEqual({ range: { from: '2026-03-02', to: '2026-03-31' }, errors: [] });
    expect(resolveRange({ from: '2026-01-01', to: '2026-01-07' }, '2026-03-31').range).toEqual({ from: '2026-01-01', to: '2026-01-07' });
    expect(resolveRange({ from: '2026-01-08', to: '2026-01-07' }, '2026-03-31').errors.map((e) => e.field)).toEqual(['to']);
    expect(resolveRange({ from: '2024-01-01', to: '2026-01-07' }, '2026-03-31').errors.map((e) => e.messageKey)).toEqual(['admin.dashboard.tooLong']);
  });
});
