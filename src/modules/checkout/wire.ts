import type { Db } from 'mongodb';
import type { MailService } from '../mail/service.js';
import { createCartRepository } from '../cart/repository.js';
import { createCartService, type CartService } from '../cart/service.js';
import { createStockStore, type StockStore } from '../catalog/stock.js';
import { createOrderLinks } from '../orders/links.js';
import { createOrderMailer } from '../orders/mailer.js';
import { createOrderRepository } from '../orders/repository.js';
import { createOrdersService, type OrdersService } from '../orders/service.js';
import { bankTransferProvider, cashOnDeliveryProvider, providerMap, type PaymentProviders } from '../payments/providers.js';
import { createDiscountRepository, type DiscountRepository } from './discounts.js';
import { createPlaceOrder, type PlaceOrderDeps } from './place-order.js';
import { createReconciler } from './reconcile.js';
import { createCheckoutService, type CheckoutService } from './service.js';
import { createCheckoutSettingsRepository, DEFAULT_CHECKOUT_SETTINGS, type CheckoutSettingsRepository } from './settings.js';

/** Default lease of a placement: far longer than a placement takes, short enough to repair soon. */
export const DEFAULT_PLACEMENT_LEASE_MS = 60_000;

export interface ShopWiringDeps {
  db: Db;
  clock: () => Date;
  mail: Pick<MailService, 'sendRendered'>;
  currency: () => Promise<string>;
  /** Placement lease (tests shorten it). */
  leaseMs?: number;
  log?: PlaceOrderDeps['log'];
  afterStep?: PlaceOrderDeps['afterStep'];
  /** Called when an order sells a product out or a release brings it back: cached lists show that flag. */
  onListChange?: () => Promise<void>;
}

const silent: PlaceOrderDeps['log'] = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ShopServices {
  cart: CartService;
  checkout: CheckoutService & {
    reconcile: () => ReturnType<ReturnType<typeof createReconciler>>;
    discounts: DiscountRepository;
    settingsRepository: CheckoutSettingsRepository;
    ensureDefaults: () => Promise<boolean>;
    /** The log of the web app (set by the routes; placements and reconciliations write there). */
    setLog: (log: PlaceOrderDeps['log']) => void;
  };
  orders: OrdersService & { configureSite: (site: { baseUrl: string; secret: string }) => void; links: () => ReturnType<typeof createOrderLinks> | undefined };
  stock: StockStore;
  payments: PaymentProviders;
}

export function wireShop(deps: ShopWiringDeps): ShopServices {
  const { db, clock } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_PLACEMENT_LEASE_MS;
  let log = deps.log ?? silent;
  const logProxy: PlaceOrderDeps['log'] = {
    info: (o, m) => log.info(o, m),
    warn: (o, m) => log.warn(o, m),
    error: (o, m) => log.error(o, m),
  };
  const stock = createStockStore(db, clock, { onListChange: deps.onListChange });
  const settingsRepository = createCheckoutSettingsRepository(db);
  const discounts = createDiscountRepository(db);
  const orderRepository = createOrderRepository(db);
  const payments = providerMap([
    bankTransferProvider(async () => (await settingsRepository.get()).bankTransfer),
    cashOnDeliveryProvider(),
  ]);
  const mailer = createOrderMailer((m) => deps.mail.sendRendered(m));
  let links: ReturnType<typeof createOrderLinks> | undefined;

  const cart = createCartService({ repository: createCartRepository(db), stock, currency: deps.currency, clock });
  const ordersService = createOrdersService({
    repository: orderRepository, discounts, stock, settings: settingsRepository, payments, sendConfirmation: (o) => mailer.sendConfirmation(o),
    sendPaymentReceived: (o, hours, now) => mailer.sendPaymentReceived(o, hours, now), clock, log: logProxy,
  });
  const placeOrder = createPlaceOrder({
    carts: cart, stock, orders: orderRepository, discounts, settings: settingsRepository, payments,
    confirm: (o) => ordersService.confirm(o), clock, leaseMs, log: logProxy, afterStep: deps.afterStep,
  });
  const reconcile = createReconciler({ orders: orderRepository, ordersService, stock, discounts, clock, leaseMs, log: logProxy });
  const checkout = Object.assign(createCheckoutService({ carts: cart, settings: settingsRepository, discounts, placeOrder, clock }), {
    reconcile,
    discounts,
    settingsRepository,
    ensureDefaults: () => settingsRepository.insertIfMissing(DEFAULT_CHECKOUT_SETTINGS),
    setLog: (value: PlaceOrderDeps['log']) => {
      log = value;
    },
  });
  const orders = Object.assign(ordersService, {
    configureSite(site: { baseUrl: string; secret: string }) {
      links = createOrderLinks(site.secret);
      mailer.configure({ baseUrl: site.baseUrl, links });
    },
    links: () => links,
  });
  return { cart, checkout, orders, stock, payments };
}

export { cartIndexes } from '../cart/repository.js';
export { orderIndexes } from '../orders/repository.js';
export { discountIndexes } from './discounts.js';
