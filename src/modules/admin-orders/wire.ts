import type { Db } from 'mongodb';
import type { AccountsService } from '../accounts/service.js';
import type { AuditService } from '../audit/service.js';
import type { CartService } from '../cart/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { StockStore } from '../catalog/stock.js';
import type { ShopServices } from '../checkout/wire.js';
import type { MailService } from '../mail/service.js';
import type { OrderLinks } from '../orders/links.js';
import { createOrderMailer } from '../orders/mailer.js';
import { createOrderRepository } from '../orders/repository.js';
import { createStaffOrderActions } from '../orders/staff-actions.js';
import { createStaffOrderRepository } from '../orders/staff-repository.js';
import type { PaymentProviders } from '../payments/providers.js';
import { createManualOrders } from './manual-order.js';
import { createAdminOrdersService, type AdminOrdersService } from './service.js';

export interface AdminOrdersWiring {
  db: Db;
  clock: () => Date;
  cart: CartService;
  catalog: Pick<CatalogService, 'variantsBySku'>;
  accounts: Pick<AccountsService, 'findIdByEmail'>;
  checkout: ShopServices['checkout'];
  orders: ShopServices['orders'];
  stock: StockStore;
  payments: PaymentProviders;
  mail: Pick<MailService, 'sendRendered'>;
  audit: Pick<AuditService, 'record'>;
}

type Log = { warn(obj: object, msg: string): void };

export type AdminOrdersServices = AdminOrdersService & {
  /** The shop's address and signed links for the emails sent from the back office (set by the routes). */
  configureSite(site: { baseUrl: string; links: OrderLinks }): void;
  setLog(log: Log): void;
};

/** The back office's order pages: staff actions over the orders module, manual orders over the checkout. */
export function wireAdminOrders(deps: AdminOrdersWiring): AdminOrdersServices {
  const { db, clock } = deps;
  let log: Log = { warn: () => undefined };
  const mailer = createOrderMailer((m) => deps.mail.sendRendered(m));
  const staff = createStaffOrderRepository(db);
  const actions = createStaffOrderActions({
    repository: createOrderRepository(db), staff, orders: deps.orders, payments: deps.payments,
    mailer, clock, log: { warn: (o, m) => log.warn(o, m) },
  });
  const manual = createManualOrders({ cart: deps.cart, checkout: deps.checkout, orders: deps.orders, stock: deps.stock, catalog: deps.catalog, accounts: deps.accounts });
  const service = createAdminOrdersService({ orders: deps.orders, staff, actions, manual, audit: deps.audit });
  return Object.assign(service, {
    configureSite(site: { baseUrl: string; links: OrderLinks }) {
      mailer.configure(site);
    },
    setLog(value: Log) {
      log = value;
    },
  });
}
