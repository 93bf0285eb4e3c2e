import type { Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';

/** Shop-wide settings: a single document. */
export const SETTINGS_COLLECTION = 'settings';

export interface SiteSettings {
  shopName: string;
  /** ISO 4217 currency of prices. */
  currency: string;
}

interface SettingsDocument extends SiteSettings {
  _id: 'site';
  updatedAt: Date;
}

export const siteIndexes: readonly IndexDeclaration[] = [];

export function createSiteRepository(db: Db) {
  const settings = db.collection<SettingsDocument>(SETTINGS_COLLECTION);
  return {
    async find(): Promise<SiteSettings | null> {
      const doc = await settings.findOne({ _id: 'site' }, { projection: { _id: 0, shopName: 1, currency: 1 } });
      return doc ? { shopName: doc.shopName, currency: doc.currency } : null;
    },
    /** Creates the settings only when absent (seeding must not overwrite an admin's edits). */
    async insertIfMissing(values: SiteSettings, now: Date): Promise<boolean> {
      const result = await settings.updateOne({ _id: 'site' }, { $setOnInsert: { ...values, updatedAt: now } }, { upsert: true });
      return result.upsertedCount === 1;
    },
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
