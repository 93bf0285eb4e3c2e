import { accountsModule } from './accounts/routes.js';
import { adminModule } from './admin/routes.js';
import { adminCatalogModule } from './admin-catalog/routes.js';
import { adminOrdersModule } from './admin-orders/routes.js';
import { adminStructureModule } from './admin-structure/routes.js';
import { adminCommerceModule } from './admin-commerce/routes.js';
import { cartContextModule, cartModule } from './cart/routes.js';
import { checkoutModule } from './checkout/routes.js';
import { ordersModule } from './orders/routes.js';
import { localeModule } from './locale/routes.js';
import { mailModule } from './mail/routes.js';
import { mediaModule } from './media/routes.js';
import { staffSecurityModule } from './staff-security/routes.js';
import { storefrontHomeModule, storefrontModule, storefrontSearchModule } from './storefront/routes.js';
import type { AppModule } from './types.js';

/** Every module of the shop, in registration order (their nav links appear in this order too). */
// staffSecurityModule first: its sign-in gate hook must precede every other module's routes.
export const modules: readonly AppModule[] = [staffSecurityModule, storefrontHomeModule, storefrontModule, storefrontSearchModule, localeModule, mediaModule, accountsModule, mailModule, cartContextModule, cartModule, checkoutModule, ordersModule, adminModule, adminOrdersModule, adminCatalogModule, adminStructureModule, adminCommerceModule];
