import type { Seeder } from '../types.js';

/** A demo code shown in the README: 10 % off orders from 20.00, once per customer. */
export const DEMO_DISCOUNT = {
  code: 'WELCOME10',
  kind: 'percentage' as const,
  value: 1000,
  minOrder: 2000,
  startsAt: null,
  endsAt: null,
  usageLimit: null,
  perCustomerLimit: 1,
  active: true,
};

/** Checkout settings (countries, shipping methods, tax rates, bank details) and one demo discount. */
export const checkoutSettingsSeeder: Seeder = {
  name: 'checkout-settings',
  async run({ services, log }) {
    const created = await services.checkout.ensureDefaults();
    log(created ? 'checkout settings created' : 'checkout settings already present');
    const discount = await services.checkout.discounts.insertIfMissing(DEMO_DISCOUNT, new Date());
    log(discount ? `discount ${DEMO_DISCOUNT.code} created` : `discount ${DEMO_DISCOUNT.code} already present`);
  },
};
