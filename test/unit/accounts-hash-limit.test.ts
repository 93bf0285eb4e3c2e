import { describe, expect, it } from 'vitest';
import { createLimit, defaultHashBudget } from '../../src/modules/accounts/hash-limit.js';

describe('argon2 concurrency limit', () => {
  it('gives hashing max(½, (cores − 1) / 2) cores of time and leaves a pool thread for other work', () => {
    expect(defaultHashBudget(1, 4)).toEqual({ slots: 1, duty: 0.5 });
    expect(defaultHashBudget(2, 4)).toEqual({ slots: 1, duty: 0.5 });
    expect(defaultHashBudget(4, 4)).toEqual({ slots: 2, duty: 0.75 });
    expect(defaultHashBudget(8, 4)).toEqual({ slots: 3, duty: 1 });
    expect(defaultHashBudget(9, 16)).toEqual({ slots: 4, duty: 1 });
    expect(defaultHashBudget(8, 16)).toEqual({ slots: 4, duty: 0.875 });
  });

  it('rests a slot after each task (duty < 1), but never delays a task after a quiet spell', async () => {
    const limit = createLimit(1, 0.5);
    const starts: number[] = [];
    const ends: number[] = [];
    const task = () =>
      limit(async () => {
        starts.push(performance.now());
        await new Promise((r) => setTimeout(r, 30));
        ends.push(performance.now());
      });
    await Promise.all([task(), task(), task()]);
    // Each task ran ~30 ms, so its slot rested ~30 ms before the next one started.
    for (let i = 1; i < 3; i++) expect(starts[i]! - ends[i - 1]!).toBeGreaterThanOrEqual((ends[i - 1]! - starts[i - 1]!) * 0.9);
    await new Promise((r) => setTimeout(r, 80)); // longer than any rest
    const asked = performance.now();
    await task();
    expect(starts[3]! - asked).toBeLessThan(15);
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
