import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak-run.js';

/**
 * Issue 8, soak (short version of `npm run soak`): the mixed workload (browse, search, cart,
 * checkout, back-office product edits) against the shop in its own process for 14 s. After the
 * warm-up (first half), the heap after a forced GC levels off (grows by less than 4 MB from the
 * first to the last sample of the second half), and no request fails.
 */

const HEAP_GROWTH_LIMIT_MB = 4;

describe('soak', () => {
  it('keeps the heap level and answers every request of a mixed workload', async () => {
    const result = await runSoak({ seconds: 14, intervalMs: 2000, shape: { browsers: 3, shoppers: 3 }, data: 'small' });
    const { samples, totals } = result;
    expect(samples.length).toBeGreaterThanOrEqual(6);

    // The workload really ran: pages, orders and admin edits in every part of the run.
    expect(totals.requests).toBeGreaterThan(300);
    expect(totals.orders).toBeGreaterThan(5);
    expect(totals.adminEdits).toBeGreaterThan(5);
    expect(result.errorKinds).toEqual({});
    expect(samples.map((s) => s.errors)).toEqual(samples.map(() => 0));

    const second = samples.slice(Math.floor(samples.length / 2));
    const first = second[0];
    const last = second[second.length - 1];
    if (!first || !last) throw new Error('no samples');
    expect(Number.isFinite(first.heapAfterGcMb)).toBe(true); // the shop ran with --expose-gc
    expect(last.heapAfterGcMb - first.heapAfterGcMb).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
    console.log(
      `soak: ${totals.requests} requests, ${totals.errors} errors, ${totals.orders} orders, ${totals.adminEdits} admin edits;` +
        ` heap after gc ${samples.map((s) => s.heapAfterGcMb).join(' → ')} MB; p99 ${samples.map((s) => s.p99).join(' ')} ms`,
    );
  }, 40_000);
});
