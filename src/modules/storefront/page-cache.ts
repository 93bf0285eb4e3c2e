import type { PageShell } from '../../plugins/view.js';

/**
 * Whole storefront pages, rendered once per (language, URL, catalog generation) as shells whose
 * per-visitor parts (CSRF token, account and cart links, flash) are filled per request
 * (reply.sendShell). A page is dropped when:
 *  - the catalog/content cache is invalidated (`generation()` returns a new object: staff changed
 *    data here, or in another process within the versioned cache's check interval);
 *  - it is older than its time to live (product pages: stock changes with every order and does
 *    not invalidate the catalog cache, so they live about a second);
 *  - it is the oldest when the count or the memory bound is reached (filter URLs are unbounded).
 */
export interface PageCacheOptions {
  /** An object that changes identity whenever the cached catalog and content data change. */
  generation: () => Promise<object>;
  maxEntries?: number;
  maxBytes?: number;
  /** Upper bound for every page (settings and the year in the footer are not versioned). */
  maxAgeMs?: number;
  now?: () => number;
}

/** What building a page gave: a shell to keep, or something to send once (redirect, 422 page). */
export type Built<T> = { shell: PageShell } | { once: T };

interface Entry {
  generation: object;
  expires: number;
  /** Once built: the shell, whose size grows when its compressed forms are made (reply.sendShell). */
  shell?: PageShell;
  value: Promise<Built<unknown>>;
}

export function createPageCache({
  generation,
  maxEntries = 1000,
  maxBytes = 64 * 1024 * 1024,
  maxAgeMs = 60_000,
  now = Date.now,
}: PageCacheOptions) {
  const entries = new Map<string, Entry>();

  function drop(key: string, entry: Entry): void {
    if (entries.get(key) === entry) entries.delete(key);
  }

  const sizeOf = (key: string, entry: Entry) => (entry.shell ? entry.shell.bytes + key.length : 0);
  // Summed when needed (once per page built, at most maxEntries): shells grow after they are stored.
  function totalBytes(): number {
    let total = 0;
    for (const [key, entry] of entries) total += sizeOf(key, entry);
    return total;
  }

  function evict(): void {
    let bytes = totalBytes();
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) return;
      bytes -= sizeOf(key, entry);
      drop(key, entry);
    }
  }

  return {
    /**
     * The shell for `key`, or `build()` once: concurrent requests for the same page share one
     * build. A build that gives `once` (or fails) is shared by those waiting, then forgotten.
     */
    async get<T>(key: string, ttlMs: number | undefined, build: () => Promise<Built<T>>): Promise<Built<T>> {
      const gen = await generation();
      const at = now();
      const hit = entries.get(key);
      if (hit && hit.generation === gen && hit.expires > at) return hit.value as Promise<Built<T>>;
      if (hit) drop(key, hit);
      const entry: Entry = { generation: gen, expires: at + Math.min(ttlMs ?? maxAgeMs, maxAgeMs), value: build() };
      entries.set(key, entry);
      entry.value.then(
        (built) => {
          if (!('shell' in built)) return drop(key, entry);
          if (entries.get(key) !== entry) return;
          entry.shell = built.shell;
          evict();
        },
        () => drop(key, entry),
      );
      return entry.value as Promise<Built<T>>;
    },
    size: () => entries.size,
    bytes: totalBytes,
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
