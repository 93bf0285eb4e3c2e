import { availableParallelism } from 'node:os';
import { threadPoolSize } from '../../config.js';

/**
 * How many argon2 computations may run at once in this process. argon2 runs in libuv's thread pool,
 * off the event loop, but each one keeps a CPU core busy for tens of milliseconds: a flood of logins
 * with one hash per pool thread would leave the event loop a small share of the CPUs and every page
 * would slow down. So at most (cores − 1) hashes run at once — one core stays for the event loop —
 * and never all the pool's threads (static files, zlib and DNS use them too). Extra logins wait in
 * line; under an attack, sign-ins get slower, the shop does not.
 */
export function defaultHashConcurrency(cores = availableParallelism(), poolSize = threadPoolSize()): number {
  return Math.max(1, Math.min(cores - 1, poolSize - 1));
}

export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once, the others in arrival order. */
export function createLimit(max: number): Limit {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing task hands its slot over
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/** One line for the whole process: the CPUs are shared by every hasher (accounts, back office). */
export const sharedHashLimit: Limit = createLimit(defaultHashConcurrency());
