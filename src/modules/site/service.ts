import type { VersionedCache } from '../catalog/cache.js';
import type { SiteRepository, SiteSettings } from './repository.js';

export const DEFAULT_SETTINGS: SiteSettings = { shopName: 'Vitrine', currency: 'EUR' };

export interface SiteServiceDeps {
  repository: SiteRepository;
  clock: () => Date;
  /**
   * In-process copy of the settings, kept right across processes by its version stamp
   * (src/modules/catalog/cache.ts, its own domain). Without it every call reads the database.
   */
  cache?: VersionedCache;
}

const SETTINGS_KEY = 'settings';

export function createSiteService({ repository, clock, cache }: SiteServiceDeps) {
  const read = async (): Promise<SiteSettings> => (await repository.find()) ?? DEFAULT_SETTINGS;
  /** The last settings loaded through the cache: answered at once while the cache re-checks. */
  let last: SiteSettings | undefined;
  /** Bumped by ensureDefaults: a refresh that started before it must not write back older data. */
  let epoch = 0;

  function refresh(): Promise<SiteSettings> {
    if (!cache) return read();
    const started = epoch;
    return cache.get(SETTINGS_KEY, read).then((value) => {
      if (epoch === started) last = value;
      return value;
    });
  }

  return {
    /**
     * The settings, or the defaults before the first seed. Read on every home page and cart total,
     * so once loaded they are answered without waiting: the version check (at most once a second)
     * and a reload after a change in any process run behind, and the next call sees their result.
     */
    async getSettings(): Promise<SiteSettings> {
      if (last === undefined) return refresh();
      refresh().catch(() => undefined); // a failed check keeps the last good copy
      return last;
    },
    /**
     * Creates the settings when absent. Seeding also drops the cached copy in every process, so a
     * change written straight to the database (a script, a restore) is seen after the next seed.
     */
    async ensureDefaults(): Promise<boolean> {
      const created = await repository.insertIfMissing(DEFAULT_SETTINGS, clock());
      epoch++;
      last = undefined;
      await cache?.invalidate();
      return created;
    },
  };
}

export type SiteService = ReturnType<typeof createSiteService>;
