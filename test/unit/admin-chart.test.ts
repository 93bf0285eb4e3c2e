import { describe, expect, it } from 'vitest';
import { buildChart, niceCeiling } from '../../src/modules/admin/chart.js';

describe('revenue chart geometry', () => {
  it('rounds the axis up to 1, 2 or 5 × 10^n', () => {
    expect([0, 1, 3, 7, 12, 2000, 2001, 49_999].map(niceCeiling)).toEqual([1, 1, 5, 10, 20, 2000, 5000, 50_000]);
  });

  it('draws bars proportional to revenue inside the plot', () => {
    const chart = buildChart([
      { day: '2026-03-01', revenue: 0, orders: 0 },
      { day: '2026-03-02', revenue: 5000, orders: 2 },
      { day: '2026-03-03', revenue: 10_000, orders: 3 },
    ], 400, 200);
    expect(chart.max).toBe(10_000);
    const [empty, half, full] = chart.bars;
    expect(empty?.height).toBe(0);
    expect(full?.y).toBe(chart.plot.top);
    expect(half?.height).toBeCloseTo((full?.height ?? 0) / 2, 0);
    for (const bar of chart.bars) expect(bar.x + bar.width).toBeLessThanOrEqual(chart.plot.right);
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 2500, 5000, 7500, 10_000]);
  });

  it('thins day labels out on long ranges', () => {
    const points = Array.from({ length: 90 }, (_, i) => ({ day: `d${i}`, revenue: i, orders: 1 }));
    const chart = buildChart(points);
    expect(chart.bars).toHaveLength(90);
    expect(chart.labels.length).toBeLessThanOrEqual(8);
    expect(chart.labels[0]?.day).toBe('d0');
  });
});
