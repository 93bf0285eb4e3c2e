import type { Locale } from './locales.js';
import { en } from './locales/en.js';
import { es } from './locales/es.js';
import { ptBR } from './locales/pt-BR.js';
import { accountsMessages } from '../modules/accounts/messages.js';
import { adminMessages } from '../modules/admin/messages.js';
import { adminCatalogMessages } from '../modules/admin-catalog/messages.js';
import { adminProductEditorMessages } from '../modules/admin-catalog/editor-messages.js';
import { adminOrdersMessages } from '../modules/admin-orders/messages.js';
import { adminOrderDetailMessages } from '../modules/admin-orders/detail-messages.js';
import { adminStructureMessages } from '../modules/admin-structure/messages.js';
import { adminCommerceMessages } from '../modules/admin-commerce/messages.js';
import { dashboardMessages } from '../modules/admin/dashboard-messages.js';
import { cartMessages } from '../modules/cart/messages.js';
import { checkoutMessages } from '../modules/checkout/messages.js';
import { ordersMessages } from '../modules/orders/messages.js';
import { mailMessages } from '../modules/mail/messages.js';
import { mediaMessages } from '../modules/media/messages.js';
import { staffSecurityMessages } from '../modules/staff-security/messages.js';
import { storefrontMessages } from '../modules/storefront/messages.js';

/** One set of translations: the same keys in every locale. */
export type MessageBundle = Readonly<Record<Locale, Readonly<Record<string, string>>>>;

const core: MessageBundle = { en, 'pt-BR': ptBR, es };

/**
 * Every bundle of the shop. A module with many strings may keep them next to its code
 * (`src/modules/<x>/messages.ts` exporting a MessageBundle) and add it here; keys must be unique.
 */
export const BUNDLES: readonly MessageBundle[] = [core, mediaMessages, storefrontMessages, accountsMessages, mailMessages, cartMessages, checkoutMessages, ordersMessages, adminMessages, dashboardMessages, staffSecurityMessages, adminOrdersMessages, adminOrderDetailMessages, adminCatalogMessages, adminProductEditorMessages, adminStructureMessages, adminCommerceMessages];

export function mergeBundles(bundles: readonly MessageBundle[]): Record<Locale, Record<string, string>> {
  const merged: Record<Locale, Record<string, string>> = { en: {}, 'pt-BR': {}, es: {} };
  for (const bundle of bundles) {
    for (const locale of Object.keys(merged) as Locale[]) {
      for (const [key, text] of Object.entries(bundle[locale])) {
        if (key in merged[locale]) throw new Error(`Duplicate translation key "${key}" (${locale})`);
        merged[locale][key] = text;
      }
    }
  }
  return merged;
}

export const catalogs = mergeBundles(BUNDLES);
