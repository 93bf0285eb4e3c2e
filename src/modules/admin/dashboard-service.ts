import type { LowStockVariant, StockReport } from '../catalog/stock-report.js';
import type { AwaitingOrder, OrderStatsRepository, Totals, TopProduct } from '../orders/stats-repository.js';
import { buildChart, type Chart, type ChartPoint } from './chart.js';
import type { AdminSettings } from './settings-repository.js';
import { addDays, dayOf, daysInRange, isDay, startOfDay } from './timezone.js';
import type { FieldError } from '../../lib/errors.js';

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

export interface DashboardDeps {
  stats: OrderStatsRepository;
  stock: StockReport;
  settings: { get(): Promise<AdminSettings> };
  currency: () => Promise<string>;
  clock: () => Date;
}

export interface DayRange {
  from: string;
  to: string;
}

export interface Comparison {
  current: Totals & { average: number };
  previous: Totals & { average: number };
  /** Percentage change, null when the previous value is 0. */
  change: { orders: number | null; revenue: number | null; average: number | null };
}

export interface Dashboard {
  range: DayRange;
  previous: DayRange;
  timeZone: string;
  currency: string;
  days: ChartPoint[];
  chart: Chart;
  comparison: Comparison;
  top: TopProduct[];
  lowStock: LowStockVariant[];
  lowStockThreshold: number;
  awaiting: { counts: Record<string, number>; oldest: AwaitingOrder[] };
}

/** The requested range, or the default (last 30 days up to today in the shop's zone) with errors. */
export function resolveRange(input: { from?: string; to?: string }, today: string): { range: DayRange; errors: FieldError[] } {
  const fallback = { from: addDays(today, -(DEFAULT_RANGE_DAYS - 1)), to: today };
  const errors: FieldError[] = [];
  const from = input.from ?? '';
  const to = input.to ?? '';
  if (from === '' && to === '') return { range: fallback, errors };
  if (!isDay(from)) errors.push({ field: 'from', messageKey: 'admin.dashboard.invalidDate' });
  if (!isDay(to)) errors.push({ field: 'to', messageKey: 'admin.dashboard.invalidDate' });
  if (errors.length > 0) return { range: fallback, errors };
  if (from > to) return { range: fallback, errors: [{ field: 'to', messageKey: 'admin.dashboard.toBeforeFrom' }] };
  if (daysInRange(from, to).length > MAX_RANGE_DAYS) {
    return { range: fallback, errors: [{ field: 'from', messageKey: 'admin.dashboard.tooLong', params: { max: MAX_RANGE_DAYS } }] };
  }
  return { range: { from, to }, errors };
}

function percent(current: number, previous: number): number | null {
  return previous === 0 ? null : Math.round(((current - previous) / previous) * 1000) / 10;
}

const withAverage = (t: Totals) => ({ ...t, average: t.orders === 0 ? 0 : Math.round(t.revenue / t.orders) });

/** Every figure of the back-office home page, from aggregation pipelines in the orders and catalog modules. */
export function createDashboardService(deps: DashboardDeps) {
  return {
    async today(): Promise<string> {
      const { timeZone } = await deps.settings.get();
      return dayOf(deps.clock(), timeZone);
    },

    async build(range: DayRange): Promise<Dashboard> {
      const [settings, currency] = await Promise.all([deps.settings.get(), deps.currency()]);
      const { timeZone, lowStockThreshold } = settings;
      const length = daysInRange(range.from, range.to).length;
      const previous = { from: addDays(range.from, -length), to: addDays(range.from, -1) };
      const bounds = (r: DayRange) => ({ start: startOfDay(r.from, timeZone), end: startOfDay(addDays(r.to, 1), timeZone), currency });

      const [sales, before, lowStock, awaiting] = await Promise.all([
        deps.stats.sales({ ...bounds(range), timeZone }, 10),
        deps.stats.totals(bounds(previous)),
        deps.stock.lowStock(lowStockThreshold, 20),
        deps.stats.awaiting(10),
      ]);
      const byDay = new Map(sales.days.map((d) => [d.day, d]));
      const days = daysInRange(range.from, range.to).map((day) => ({ day, orders: byDay.get(day)?.orders ?? 0, revenue: byDay.get(day)?.revenue ?? 0 }));
      const current = withAverage(sales.totals);
      const prev = withAverage(before);
      return {
        range,
        previous,
        timeZone,
        currency,
        days,
        chart: buildChart(days),
        comparison: {
          current,
          previous: prev,
          change: { orders: percent(current.orders, prev.orders), revenue: percent(current.revenue, prev.revenue), average: percent(current.average, prev.average) },
        },
        top: sales.top,
        lowStock,
        lowStockThreshold,
        awaiting,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
