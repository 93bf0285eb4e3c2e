import { ObjectId } from 'mongodb';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { PlacedOrder } from '../../src/modules/orders/types.js';
import { insertProduct, PT_ADDRESS, readyCart, variantOf } from '../fixtures/shop-data.js';
import { TestAgent } from '../helpers/agent.js';
import type { TestApp } from '../helpers/test-app.js';
import { createUser, signIn, type TestUser } from '../integration/admin-fixtures.js';

/** Each role browses in its own language: rejections must come back in it. */
export const ROLE_LOCALES = { visitor: 'es', customerA: 'pt-BR', customerB: 'en', staff: 'en', admin: 'pt-BR' } as const;

/** A signed-in customer with an address book entry and a paid order that has a digital line. */
export interface FuzzCustomer {
  user: TestUser;
  agent: TestAgent;
  addressId: string;
  order: PlacedOrder;
  /** A correctly signed download link of the order's digital line. */
  downloadPath: string;
}

export interface FuzzShop {
  product: ProductDoc;
  digital: ProductDoc;
  customerA: FuzzCustomer;
  customerB: FuzzCustomer;
  staff: { user: TestUser; agent: TestAgent };
  admin: { user: TestUser; agent: TestAgent };
  visitor: TestAgent;
}

async function customer(t: TestApp, product: ProductDoc, digital: ProductDoc, name: string): Promise<FuzzCustomer> {
  const user = await createUser(t, 'customer', name);
  const addressId = await t.services.accounts.saveAddress(user.id, null, { ...PT_ADDRESS, fullName: name }, { defaultShipping: true, defaultBilling: true });
  const lines = [{ variantId: variantOf(product, 1)._id, qty: 1 }, { variantId: variantOf(digital)._id, qty: 1 }];
  const { cartId, token } = await readyCart(t.services, lines, { email: user.email });
  const placed = await t.services.checkout.place({ cartId, token, userId: new ObjectId(user.id), locale: 'en', paymentMethod: 'bank_transfer' });
  if (placed.kind !== 'placed') throw new Error(`fuzz shop: order not placed (${placed.kind})`);
  const paid = await t.services.orders.markPaid(placed.order._id, 'fuzz-seed');
  if (!paid) throw new Error('fuzz shop: order not paid');
  const links = t.services.orders.links();
  if (!links) throw new Error('fuzz shop: order links not configured');
  const downloadPath = links.downloadPath(paid._id.toHexString(), 1, new Date(Date.now() + 24 * 3600_000));
  const agent = new TestAgent(t.app, { 'accept-language': ROLE_LOCALES[name === 'Alice Fuzz' ? 'customerA' : 'customerB'] });
  await signIn(agent, user, '/account');
  return { user, agent, addressId, order: paid, downloadPath };
}

/**
 * A small shop for the fuzz and authorisation tests: a product with three variants, a digital
 * product, two customers (each with an address and a paid order), a staff and an admin user, all
 * signed in through the real login form. Pages that write their defaults on first read are visited
 * once here, so that the fuzz's snapshots start from a settled database.
 */
export async function seedFuzzShop(t: TestApp): Promise<FuzzShop> {
  const product = await insertProduct(t.db, { title: 'Fuzz shirt', price: 2500, variants: [{ stock: 5 }, { stock: 50 }, { stock: 0 }] });
  const file = await t.services.media.storeDownload(Buffer.from('%PDF-1.4 fuzz'), { filename: 'fuzz.pdf', contentType: 'application/pdf' });
  const digital = await insertProduct(t.db, { title: 'Fuzz e-book', price: 900, variants: [{ stock: 1000 }], digital: { fileId: file.fileId, fileName: file.fileName, maxDownloads: 1000 } });
  const customerA = await customer(t, product, digital, 'Alice Fuzz');
  const customerB = await customer(t, product, digital, 'Bruno Fuzz');
  const staffUser = await createUser(t, 'staff');
  const adminUser = await createUser(t, 'admin');
  const staff = { user: staffUser, agent: new TestAgent(t.app, { 'accept-language': ROLE_LOCALES.staff }) };
  const admin = { user: adminUser, agent: new TestAgent(t.app, { 'accept-language': ROLE_LOCALES.admin }) };
  await signIn(staff.agent, staffUser);
  await signIn(admin.agent, adminUser);
  for (const url of ['/', '/cart', '/admin', '/admin/settings', '/admin/orders', '/admin/products']) await admin.agent.get(url);
  // The visitor has a cart, so that the checkout pages (and their forms) are reachable.
  const visitor = new TestAgent(t.app, { 'accept-language': ROLE_LOCALES.visitor });
  const productPage = await visitor.get(`/p/${product.slug}`);
  const added = await visitor.submitForm(productPage, 'form[action="/cart/items"]', { variantId: variantOf(product, 1)._id.toHexString() });
  if (added.status !== 303) throw new Error(`fuzz shop: add to cart answered ${added.status}`);
  return { product, digital, customerA, customerB, staff, admin, visitor };
}
