import type { Db } from 'mongodb';
import { createVersionedCache } from './modules/catalog/cache.js';
import { createCatalogRepository } from './modules/catalog/repository.js';
import { createCatalogService, type CatalogService } from './modules/catalog/service.js';
import { createCmsRepository } from './modules/cms/repository.js';
import { createCmsService, type CmsService } from './modules/cms/service.js';
import { createMediaRepository } from './modules/media/repository.js';
import { createMediaService, type MediaService } from './modules/media/service.js';
import { wireAccountsService, type AccountsService } from './modules/accounts/service.js';
import type { ThrottlePolicy } from './modules/accounts/throttle.js';
import { createOutboxRepository } from './modules/mail/outbox-repository.js';
import { createMailService, type MailService } from './modules/mail/service.js';
import { createPageCache, type PageCache } from './modules/storefront/page-cache.js';
import { createSiteRepository } from './modules/site/repository.js';
import { createSiteService, type SiteService } from './modules/site/service.js';
import { wireShop, type ShopServices } from './modules/checkout/wire.js';
import { customerOrdersOf } from './modules/orders/customer-orders.js';
import { wireBackOffice, type AdminServices } from './modules/admin/wire.js';
import type { AuditService } from './modules/audit/service.js';
import type { StaffSecurityService } from './modules/staff-security/service.js';
import { wireAdminOrders, type AdminOrdersServices } from './modules/admin-orders/wire.js';
import { wireAdminCatalog, type AdminCatalogServices } from './modules/admin-catalog/wire.js';
import { wireAdminStructure, type AdminStructureServices } from './modules/admin-structure/wire.js';
import { createAdminCommerce, type AdminCommerce } from './modules/admin-commerce/service.js';

/**
 * The composition root of the domain: every service, built from its repository and the services it
 * needs. A new module adds one line here; tests may replace any service with a fake.
 */
export interface Services {
  site: SiteService;
  catalog: CatalogService;
  cms: CmsService;
  media: MediaService;
  mail: MailService;
  accounts: AccountsService;
  cart: ShopServices['cart'];
  checkout: ShopServices['checkout'];
  orders: ShopServices['orders'];
  audit: AuditService;
  staffSecurity: StaffSecurityService;
  admin: AdminServices;
  adminOrders: AdminOrdersServices;
  adminCatalog: AdminCatalogServices;
  adminStructure: AdminStructureServices;
  adminCommerce: AdminCommerce;
  /** Rendered storefront pages, dropped with the catalog cache (src/modules/storefront/page-cache.ts). */
  pages: PageCache;
}

export interface ServiceDeps {
  db: Db;
  clock?: () => Date;
  /** config.smtpUrl: mail goes through that server; unset → the outbox collection. */
  smtpUrl?: string;
  /** Login throttling limits (tests and the benchmark change them). */
  loginThrottle?: ThrottlePolicy;
  /** Cart/checkout/orders: placement lease, test hooks (src/modules/checkout/wire.ts). */
  shop?: Partial<Pick<Parameters<typeof wireShop>[0], 'leaseMs' | 'afterStep'>>;
}

export function createServices({ db, clock = () => new Date(), smtpUrl, loginThrottle, shop }: ServiceDeps): Services {
  // Settings are read on every home page and cart total: cached, with their own version stamp.
  const site = createSiteService({ repository: createSiteRepository(db), clock, cache: createVersionedCache({ db, name: 'site' }) });
  // One cache for catalog and content reads: any write there drops it in every process.
  const catalogCache = createVersionedCache({ db, clock });
  const catalog = createCatalogService({ repository: createCatalogRepository(db), cache: catalogCache, clock });
  const media = createMediaService({ repository: createMediaRepository(db) });
  const cms = createCmsService({ repository: createCmsRepository(db), catalog, media, cache: catalogCache, clock });
  const mail = createMailService({ outbox: createOutboxRepository(db), smtpUrl, clock });
  const { cart, checkout, orders, stock, payments } = wireShop({
    db, clock, mail, currency: async () => (await site.getSettings()).currency,
    // A sell-out (or a product back in stock) changes cached lists and cards: drop them everywhere.
    onListChange: () => catalogCache.invalidate(),
    ...shop,
  });
  // The account pages list the user's orders; deleting an account anonymises them.
  const accounts = wireAccountsService({ db, mail, clock, throttle: loginThrottle, orders: customerOrdersOf(orders) });
  const backOffice = wireBackOffice({ db, clock, currency: async () => (await site.getSettings()).currency, orders });
  const adminOrders = wireAdminOrders({ db, clock, cart, catalog, accounts, checkout, orders, stock, payments, mail, audit: backOffice.audit });
  const adminCatalog = wireAdminCatalog({ db, cache: catalogCache, catalog, audit: backOffice.audit, clock, currency: async () => (await site.getSettings()).currency });
  const adminStructure = wireAdminStructure({ db, cache: catalogCache, audit: backOffice.audit, cms, clock });
  const adminCommerce = createAdminCommerce({ settings: checkout.settingsRepository, discounts: checkout.discounts, audit: backOffice.audit, cache: catalogCache, clock });
  // A new object each time the catalog cache is emptied: the pages built from it go too.
  const pages = createPageCache({ generation: () => catalogCache.get('pages:generation', async () => ({})) });
  return { site, catalog, cms, media, mail, accounts, cart, checkout, orders, ...backOffice, adminOrders, adminCatalog, adminStructure, adminCommerce, pages };
}
