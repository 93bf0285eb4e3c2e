import type { Db } from 'mongodb';

export const ADMIN_SETTINGS_COLLECTION = 'admin_settings';

/** Back-office settings (admins only): one document. */
export interface AdminSettings {
  /** IANA time zone of the shop: dashboard days start at midnight there. */
  timeZone: string;
  /** Every staff and admin account must use TOTP two-factor authentication. */
  enforceTwoFactor: boolean;
  /** A variant with this many units or fewer is "low stock" on the dashboard. */
  lowStockThreshold: number;
}

export const DEFAULT_ADMIN_SETTINGS: AdminSettings = { timeZone: 'UTC', enforceTwoFactor: false, lowStockThreshold: 5 };

interface SettingsDoc extends AdminSettings {
  _id: 'admin';
  updatedAt: Date;
}

export function createAdminSettingsRepository(db: Db) {
  const settings = db.collection<SettingsDoc>(ADMIN_SETTINGS_COLLECTION);
  return {
    async get(): Promise<AdminSettings> {
      const doc = await settings.findOne({ _id: 'admin' });
      if (!doc) return DEFAULT_ADMIN_SETTINGS;
      return { timeZone: doc.timeZone, enforceTwoFactor: doc.enforceTwoFactor, lowStockThreshold: doc.lowStockThreshold };
    },
    async save(values: AdminSettings, now: Date): Promise<void> {
      await settings.updateOne({ _id: 'admin' }, { $set: { ...values, updatedAt: now } }, { upsert: true });
    },
  };
}

export type AdminSettingsRepository = ReturnType<typeof createAdminSettingsRepository>;
