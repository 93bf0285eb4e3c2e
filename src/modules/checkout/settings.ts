import type { Db } from 'mongodb';
import type { Translated } from '../catalog/types.js';

/**
 * What staff configure for the checkout (the back office edits it later; a seeder writes these
 * defaults once): countries served, shipping methods, tax rates, bank details, time limits.
 */

export type ShippingKind = 'flat' | 'pickup';

export interface ShippingMethod {
  id: string;
  kind: ShippingKind;
  name: Translated;
  /** Minor units; 0 for pickup. */
  amount: number;
  /** Free when the goods subtotal (after discount) reaches this many minor units. */
  freeAbove: number | null;
  /** ISO country codes where the method is offered. */
  countries: string[];
}

export interface TaxRate {
  country: string;
  /** Basis points: 2300 = 23 %. */
  rateBp: number;
  label: Translated;
}

export interface CheckoutSettings {
  /** true: catalog prices already contain the tax (EU style); false: tax is added on top. */
  pricesIncludeTax: boolean;
  countries: string[];
  shippingMethods: ShippingMethod[];
  taxRates: TaxRate[];
  bankTransfer: { beneficiary: string; iban: string; bic: string };
  /** Unpaid bank-transfer orders are cancelled after this many days. */
  autoCancelDays: number;
  /** A customer may cancel an unpaid order within this many hours. */
  customerCancelHours: number;
  /** Download links of digital products stay valid this long. */
  downloadHours: number;
}

export const DEFAULT_CHECKOUT_SETTINGS: CheckoutSettings = {
  pricesIncludeTax: true,
  countries: ['PT', 'ES', 'BR', 'FR', 'DE', 'IT', 'NL', 'BE', 'IE'],
  shippingMethods: [
    {
      id: 'standard',
      kind: 'flat',
      name: { en: 'Standard delivery', 'pt-BR': 'Entrega padrão', es: 'Envío estándar' },
      amount: 495,
      freeAbove: 5000,
      countries: ['PT', 'ES', 'FR', 'DE', 'IT', 'NL', 'BE', 'IE'],
    },
    {
      id: 'international',
      kind: 'flat',
      name: { en: 'International delivery', 'pt-BR': 'Entrega internacional', es: 'Envío internacional' },
      amount: 1990,
      freeAbove: null,
      countries: ['BR'],
    },
    {
      id: 'pickup',
      kind: 'pickup',
      name: { en: 'Pick up at our shop in Lisbon', 'pt-BR': 'Retirar na nossa loja em Lisboa', es: 'Recoger en nuestra tienda de Lisboa' },
      amount: 0,
      freeAbove: null,
      countries: ['PT'],
    },
  ],
  taxRates: [
    { country: 'PT', rateBp: 2300, label: { en: 'VAT 23%', 'pt-BR': 'IVA 23%', es: 'IVA 23 %' } },
    { country: 'ES', rateBp: 2100, label: { en: 'VAT 21%', 'pt-BR': 'IVA 21%', es: 'IVA 21 %' } },
    { country: 'FR', rateBp: 2000, label: { en: 'VAT 20%', 'pt-BR': 'IVA 20%', es: 'IVA 20 %' } },
    { country: 'DE', rateBp: 1900, label: { en: 'VAT 19%', 'pt-BR': 'IVA 19%', es: 'IVA 19 %' } },
    { country: 'IT', rateBp: 2200, label: { en: 'VAT 22%', 'pt-BR': 'IVA 22%', es: 'IVA 22 %' } },
    { country: 'NL', rateBp: 2100, label: { en: 'VAT 21%', 'pt-BR': 'IVA 21%', es: 'IVA 21 %' } },
    { country: 'BE', rateBp: 2100, label: { en: 'VAT 21%', 'pt-BR': 'IVA 21%', es: 'IVA 21 %' } },
    { country: 'IE', rateBp: 2300, label: { en: 'VAT 23%', 'pt-BR': 'IVA 23%', es: 'IVA 23 %' } },
  ],
  bankTransfer: { beneficiary: 'Vitrine Lda', iban: 'PT50 0002 0123 1234 5678 9015 4', bic: 'CGDIPTPL' },
  autoCancelDays: 7,
  customerCancelHours: 24,
  downloadHours: 24,
};

export const CHECKOUT_SETTINGS_COLLECTION = 'checkout_settings';

/** Parts of the settings edited on separate back-office pages, each with its own version. */
export type SettingsSection = 'shipping' | 'taxes';

interface SettingsDoc extends CheckoutSettings {
  _id: 'checkout';
  /** Optimistic-concurrency version per section (absent: never saved from the back office). */
  versions?: Partial<Record<SettingsSection, number>>;
}

export function createCheckoutSettingsRepository(db: Db) {
  const settings = db.collection<SettingsDoc>(CHECKOUT_SETTINGS_COLLECTION);
  return {
    async get(): Promise<CheckoutSettings> {
      const doc = await settings.findOne({ _id: 'checkout' }, { projection: { _id: 0, versions: 0 } });
      return doc ? { ...DEFAULT_CHECKOUT_SETTINGS, ...doc } : DEFAULT_CHECKOUT_SETTINGS;
    },
    /** Seeding: writes the defaults only when there are no settings yet. */
    async insertIfMissing(values: CheckoutSettings): Promise<boolean> {
      const r = await settings.updateOne({ _id: 'checkout' }, { $setOnInsert: values }, { upsert: true });
      return r.upsertedCount === 1;
    },
    async replace(values: CheckoutSettings): Promise<void> {
      await settings.replaceOne({ _id: 'checkout' }, values, { upsert: true });
    },
    /** The settings with the version of one section (0: never saved from the back office). */
    async withVersion(section: SettingsSection): Promise<{ settings: CheckoutSettings; version: number }> {
      const doc = await settings.findOne({ _id: 'checkout' }, { projection: { _id: 0 } });
      const { versions, ...rest } = doc ?? {};
      return { settings: { ...DEFAULT_CHECKOUT_SETTINGS, ...rest }, version: versions?.[section] ?? 0 };
    },
    /**
     * Sets some fields of one section only over the version the form read. False when that section
     * was saved meanwhile. With no stored settings yet, the upsert writes these fields and the
     * defaults fill the rest on read.
     */
    async saveSection(section: SettingsSection, set: Partial<CheckoutSettings>, expectedVersion: number): Promise<boolean> {
      const path = `versions.${section}`;
      const filter = { _id: 'checkout' as const, [path]: expectedVersion === 0 ? { $exists: false } : expectedVersion };
      try {
        const r = await settings.updateOne(filter, { $set: set, $inc: { [path]: 1 } }, { upsert: expectedVersion === 0 });
        return r.modifiedCount === 1 || r.upsertedCount === 1;
      } catch (error) {
        // Upsert over an existing document whose section was saved meanwhile: a duplicate _id.
        if (typeof error === 'object' && error !== null && 'code' in error && error.code === 11000) return false;
        throw error;
      }
    },
  };
}

export type CheckoutSettingsRepository = ReturnType<typeof createCheckoutSettingsRepository>;

export function methodsFor(settings: CheckoutSettings, country: string): ShippingMethod[] {
  return settings.shippingMethods.filter((m) => m.countries.includes(country));
}

export function taxRateFor(settings: CheckoutSettings, country: string): TaxRate | undefined {
  return settings.taxRates.find((r) => r.country === country);
}
