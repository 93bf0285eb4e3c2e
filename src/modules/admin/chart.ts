/**
 * Geometry of the dashboard's revenue chart, computed here (pure, tested) so the SVG template only
 * places shapes. Bars are revenue per day; the y axis has "nice" round ticks.
 */
export interface ChartPoint {
  day: string;
  revenue: number;
  orders: number;
}

export interface ChartBar extends ChartPoint {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Chart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: ChartBar[];
  /** Horizontal grid lines with their value (minor units). */
  ticks: { y: number; value: number }[];
  /** Day labels under the axis, thinned out so they do not overlap. */
  labels: { x: number; day: string }[];
  max: number;
}

/** The smallest 1, 2 or 5 × 10^n that is ≥ value (0 → 1). */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function buildChart(points: readonly ChartPoint[], width = 720, height = 260): Chart {
  const plot = { left: 72, top: 12, right: width - 8, bottom: height - 32 };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const max = niceCeiling(Math.max(0, ...points.map((p) => p.revenue)));
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.7);
  const round = (n: number) => Math.round(n * 10) / 10;
  const bars = points.map((p, i) => {
    const h = (Math.max(0, p.revenue) / max) * plotHeight;
    return { ...p, x: round(plot.left + i * slot + (slot - barWidth) / 2), y: round(plot.bottom - h), width: round(barWidth), height: round(h) };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: round(plot.bottom - f * plotHeight), value: Math.round(max * f) }));
  const every = Math.max(1, Math.ceil(points.length / 8));
  const labels = points
    .map((p, i) => ({ x: round(plot.left + i * slot + slot / 2), day: p.day, i }))
    .filter((l) => l.i % every === 0)
    .map(({ x, day }) => ({ x, day }));
  return { width, height, plot, bars, ticks, labels, max };
}
