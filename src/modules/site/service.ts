import type { SiteRepository, SiteSettings } from './repository.js';

export const DEFAULT_SETTINGS: SiteSettings = { shopName: 'Vitrine', currency: 'EUR' };

export interface SiteServiceDeps {
  repository: SiteRepository;
  clock: () => Date;
}

export function createSiteService({ repository, clock }: SiteServiceDeps) {
  return {
    /** The settings, or the defaults before the first seed. */
    async getSettings(): Promise<SiteSettings> {
      return (await repository.find()) ?? DEFAULT_SETTINGS;
    },
    async ensureDefaults(): Promise<boolean> {
      return repository.insertIfMissing(DEFAULT_SETTINGS, clock());
    },
  };
}

export type SiteService = ReturnType<typeof createSiteService>;
