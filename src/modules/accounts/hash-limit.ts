import { availableParallelism } from 'node:os';
import { threadPoolSize } from '../../config.js';

/**
 * How much CPU password hashing may take in this process. argon2 runs in libuv's thread pool, off
 * the event loop, but each hash keeps a core busy for tens of milliseconds, and the event loop is
 * not the only thing the shop needs besides: the garbage collector's threads, the kernel's network
 * work and (with the embedded database) the database run on the same cores. On a 2-core machine,
 * one hash after another on the "free" core still made every page 40% slower and tripled the
 * product page's p99 (bench/login-load.ts). So hashing gets a budget of
 * max(½, (cores − 1) / 2) cores' worth of time: at most `slots` hashes at once (never all the pool's
 * threads: static files, zlib and DNS use them too), and after each hash its slot rests for
 * `elapsed × (1 / duty − 1)` before the next one may start in it. A lone sign-in never waits (its
 * slot has long rested); under a flood of logins, sign-ins queue and get slower, the shop does not.
 */
export interface HashBudget {
  /** Hashes at once. */
  slots: number;
  /** Share of the time each slot may spend hashing (0 < duty ≤ 1). */
  duty: number;
}

export function defaultHashBudget(cores = availableParallelism(), poolSize = threadPoolSize()): HashBudget {
  const cpus = Math.max(0.5, (cores - 1) / 2);
  const slots = Math.max(1, Math.min(Math.ceil(cpus), poolSize - 1));
  return { slots, duty: Math.min(1, cpus / slots) };
}

export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs at most `slots` tasks at once, the others in arrival order; with duty < 1, a slot rests after
 * each task for the task's time × (1 / duty − 1) before the next task may start in it.
 */
export function createLimit(slots: number, duty = 1, now: () => number = () => performance.now()): Limit {
  let active = 0;
  const waiting: (() => void)[] = [];
  /** When each resting slot may take its next task (free slots that have rested are not listed). */
  const restedAt: number[] = [];
  return async (task) => {
    if (active < slots) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing task hands its slot over
    const ready = restedAt.shift();
    if (ready !== undefined && ready > now()) await sleep(ready - now());
    const started = now();
    try {
      return await task();
    } finally {
      if (duty < 1) restedAt.push(now() + (now() - started) * (1 / duty - 1));
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** One budget for the whole process: the CPUs are shared by every hasher (accounts, back office). */
const budget = defaultHashBudget();
export const sharedHashLimit: Limit = createLimit(budget.slots, budget.duty);
