import { ObjectId } from 'mongodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlacedOrder } from '../../src/modules/orders/types.js';
import { browserAvailable, launchBrowser, screenshotPath, startListeningApp, type ListeningApp } from '../helpers/browser.js';
import { insertProduct, readyCart } from '../fixtures/shop-data.js';
import { createUser, type TestUser } from '../integration/admin-fixtures.js';

/** Issue 7: an admin fulfils an order and the customer's order page shows it (no JavaScript anywhere). */

describe.skipIf(!browserAvailable())('back-office order fulfilment in Chromium', () => {
  let app: ListeningApp;
  let browser: Browser;
  let admin: TestUser;
  let buyer: TestUser;
  let order: PlacedOrder;

  beforeAll(async () => {
    app = await startListeningApp();
    browser = await launchBrowser();
    admin = await createUser(app, 'admin', 'Ada Admin');
    buyer = await createUser(app, 'customer', 'Bea Buyer');
    const product = await insertProduct(app.db, { title: 'Linen shirt', price: 3900, variants: [{ stock: 4, sku: 'SHIRT-M' }] });
    const variant = product.variants[0];
    if (!variant) throw new Error('no variant');
    const { cartId, token } = await readyCart(app.services, [{ variantId: variant._id, qty: 2 }], { email: buyer.email });
    const placed = await app.services.checkout.place({ cartId, token, userId: new ObjectId(buyer.id), locale: 'en', paymentMethod: 'bank_transfer' });
    if (placed.kind !== 'placed') throw new Error('not placed');
    const paid = await app.services.orders.markPaid(placed.order._id, 'test');
    if (!paid) throw new Error('not paid');
    order = paid;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(page: Page, user: TestUser, next: string): Promise<void> {
    await page.goto(`${app.baseUrl}/login?next=${encodeURIComponent(next)}`);
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', user.password);
    await Promise.all([page.waitForURL(`${app.baseUrl}${next}`), page.click('form.login-form button[type=submit]')]);
  }

  it('the admin ships the order with a tracking number; the customer sees it on their order page', async () => {
    const adminContext = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await adminContext.newPage();
    await signIn(page, admin, '/admin/orders');
    expect(await page.textContent('h1')).toBe('Orders');
    await page.screenshot({ path: screenshotPath('admin-orders-list'), fullPage: true });
    await Promise.all([page.waitForURL(`${app.baseUrl}/admin/orders/${order.number}`), page.click(`a[href="/admin/orders/${order.number}"]`)]);
    expect((await page.textContent('h1 .status-tag'))?.trim()).toBe('Paid');

    await page.fill('#f-carrier', 'CTT Expresso');
    await page.fill('#f-code', 'EA123456789PT');
    await page.fill('#f-url', 'https://track.example/EA123456789PT');
    await Promise.all([page.waitForURL(`${app.baseUrl}/admin/orders/${order.number}`), page.click('form.fulfil-form button[type=submit]')]);
    expect((await page.textContent('h1 .status-tag'))?.trim()).toBe('Shipped');
    expect(await page.textContent('.flashes')).toContain('marked as shipped');
    expect(await page.locator('.timeline li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Tracking: CTT Expresso EA123456789PT')]));
    await page.screenshot({ path: screenshotPath('admin-order-fulfilled'), fullPage: true });

    await page.goto(`${app.baseUrl}/admin/orders/${order.number}/packing-slip`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print-toolbar').isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath('admin-order-packing-slip-print'), fullPage: true });
    await adminContext.close();

    const customerContext = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1024, height: 900 } });
    const mine = await customerContext.newPage();
    const path = `/account/orders/${order._id.toHexString()}`;
    await signIn(mine, buyer, path);
    expect(await mine.textContent('.order-status strong')).toBe('Shipped');
    expect(await mine.textContent('.tracking')).toContain('EA123456789PT');
    await mine.screenshot({ path: screenshotPath('customer-order-shipped'), fullPage: true });
    await customerContext.close();

    const mail = await app.db.collection('outbox').findOne({ to: buyer.email, template: 'order-shipped' });
    expect(mail?.text).toContain('EA123456789PT');
  });
});
