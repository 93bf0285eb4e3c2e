import type { Db } from 'mongodb';

/**
 * In-process cache for catalog reads, kept correct across several app processes sharing one
 * database: every write bumps a counter in `cacheVersions`; a read re-checks that counter at most
 * once per `checkIntervalMs` and drops everything when it moved. So another process's change is
 * visible within that bound, and a change made here is visible at once.
 */
export const CACHE_VERSIONS_COLLECTION = 'cacheVersions';

interface VersionDoc {
  _id: string;
  version: number;
}

export interface VersionedCache {
  /** The cached value for `key`, or `load()` once (concurrent callers share the same promise). */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Drops this process's entries and tells the other processes (bumps the shared version). */
  invalidate(): Promise<void>;
  /**
   * Drops this process's entries at the first read at or after `at` (by `clock`): what was read
   * before a scheduled change (a product's publishedAt) must not outlive it. The earliest call
   * wins; each emptying forgets it (the reads that depend on the schedule arm it again).
   */
  expireAt(at: Date): void;
  /** Number of live entries (tests, diagnostics). */
  size(): number;
}

export interface VersionedCacheOptions {
  db: Db;
  /** Name of the counter document: one per cache domain. */
  name?: string;
  checkIntervalMs?: number;
  /** Oldest entries are evicted past this many (filter combinations are unbounded). */
  maxEntries?: number;
  now?: () => number;
  /** The shop's clock, which scheduled times (expireAt) are compared with; tests inject one. */
  clock?: () => Date;
}

export function createVersionedCache({
  db,
  name = 'catalog',
  checkIntervalMs = 1000,
  maxEntries = 2000,
  now = Date.now,
  clock = () => new Date(now()),
}: VersionedCacheOptions): VersionedCache {
  const versions = db.collection<VersionDoc>(CACHE_VERSIONS_COLLECTION);
  const entries = new Map<string, Promise<unknown>>();
  let known: number | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  let expiresAt = Infinity;

  function clear(): void {
    entries.clear();
    expiresAt = Infinity;
  }

  async function readVersion(): Promise<number> {
    const doc = await versions.findOne({ _id: name }, { projection: { version: 1 } });
    return doc?.version ?? 0;
  }

  function sync(): Promise<void> {
    if (clock().getTime() >= expiresAt) clear();
    if (now() - checkedAt < checkIntervalMs) return Promise.resolve();
    checking ??= (async () => {
      try {
        const version = await readVersion();
        if (version !== known) clear();
        known = version;
        checkedAt = now();
      } finally {
        checking = undefined;
      }
    })();
    return checking;
  }

  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      await sync();
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Refresh recency (Map keeps insertion order: the first key is the oldest).
        entries.delete(key);
        entries.set(key, hit);
        return hit as Promise<T>;
      }
      const loading = load();
      entries.set(key, loading);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      // A failed load must not be cached.
      loading.catch(() => {
        if (entries.get(key) === loading) entries.delete(key);
      });
      return loading;
    },
    async invalidate() {
      clear();
      const updated = await versions.findOneAndUpdate(
        { _id: name },
        { $inc: { version: 1 } },
        { upsert: true, returnDocument: 'after', projection: { version: 1 } },
      );
      known = updated?.version;
      checkedAt = now();
      // Loads that started before the write may finish after it: they are already dropped above.
      clear();
    },
    expireAt(at: Date) {
      expiresAt = Math.min(expiresAt, at.getTime());
    },
    size: () => entries.size,
  };
}
