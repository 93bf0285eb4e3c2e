import { describe, expect, it } from 'vitest';
import { createLimit, defaultHashConcurrency } from '../../src/modules/accounts/hash-limit.js';

describe('argon2 concurrency limit', () => {
  it('leaves one core for the event loop and one pool thread for other work', () => {
    expect(defaultHashConcurrency(2, 4)).toBe(1);
    expect(defaultHashConcurrency(1, 4)).toBe(1);
    expect(defaultHashConcurrency(8, 4)).toBe(3);
    expect(defaultHashConcurrency(8, 16)).toBe(7);
  });

  it('runs at most `max` tasks at once, the rest in arrival order, and survives a failing task', async () => {
    const limit = createLimit(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number, fail = false) =>
      limit(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active -= 1;
        order.push(n);
        if (fail) throw new Error(`task ${n} failed`);
        return n;
      });
    const results = await Promise.allSettled([task(1), task(2, true), task(3), task(4), task(5)]);
    expect(peak).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    // The slot of the failed task was handed on: a later task still starts.
    await expect(task(6)).resolves.toBe(6);
  });
});
