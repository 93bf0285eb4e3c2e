import { accountsModule } from './accounts/routes.js';
import { cartContextModule, cartModule } from './cart/routes.js';
import { checkoutModule } from './checkout/routes.js';
import { ordersModule } from './orders/routes.js';
import { localeModule } from './locale/routes.js';
import { mailModule } from './mail/routes.js';
import { mediaModule } from './media/routes.js';
import { storefrontHomeModule, storefrontModule, storefrontSearchModule } from './storefront/routes.js';
import type { AppModule } from './types.js';

/** Every module of the shop, in registration order (their nav links appear in this order too). */
export const modules: readonly AppModule[] = [storefrontHomeModule, storefrontModule, storefrontSearchModule, localeModule, mediaModule, accountsModule, mailModule, cartContextModule, cartModule, checkoutModule, ordersModule];
