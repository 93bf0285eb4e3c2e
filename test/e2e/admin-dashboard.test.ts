import { ObjectId } from 'mongodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshotPath, startListeningApp, type ListeningApp } from '../helpers/browser.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { createUser, insertOrder, type TestUser } from '../integration/admin-fixtures.js';

describe.skipIf(!browserAvailable())('back office in Chromium', () => {
  let app: ListeningApp;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    app = await startListeningApp();
    browser = await launchBrowser();
    admin = await createUser(app, 'admin', 'Ada Admin');
    const products = [new ObjectId(), new ObjectId(), new ObjectId()];
    const names = ['Linen shirt', 'Ceramic mug', 'Desk lamp'];
    // Three weeks of orders, a few per day, so the chart has something to show.
    for (let d = 0; d < 21; d++) {
      for (let k = 0; k < (d % 4) + 1; k++) {
        const p = (d + k) % 3;
        const amount = 1500 + ((d * 7 + k * 13) % 40) * 100;
        await insertOrder(app.db, {
          placedAt: new Date(Date.now() - d * 86_400_000 - k * 3_600_000), total: amount, status: d < 2 && k === 0 ? 'paid' : 'completed',
          lines: [{ productId: products[p] ?? new ObjectId(), title: names[p] ?? '', qty: 1 + (k % 2), amount }],
        });
      }
    }
    await insertProduct(app.db, { title: 'Wool scarf', variants: [{ stock: 1, sku: 'SCARF-RED' }, { stock: 3, sku: 'SCARF-BLUE' }] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('an admin signs in (2FA off) and sees the dashboard, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login?next=%2Fadmin`);
    await page.fill('#f-email', admin.email);
    await page.fill('#f-password', admin.password);
    await Promise.all([page.waitForURL(`${app.baseUrl}/admin`), page.click('form.login-form button[type=submit]')]);

    expect(await page.textContent('h1')).toBe('Dashboard');
    expect(await page.getAttribute('svg.revenue-chart', 'role')).toBe('img');
    expect(await page.locator('svg.revenue-chart rect.bar').count()).toBe(30);
    expect(await page.locator('.sales-table tbody tr').count()).toBe(30);
    expect(await page.locator('.top-products tbody tr').count()).toBe(3);
    expect(await page.locator('.low-stock tbody tr').count()).toBe(2);
    // The admin stylesheet applied: two columns with the navigation on the left.
    const navBox = await page.locator('.admin-nav').boundingBox();
    const mainBox = await page.locator('.admin-main').boundingBox();
    expect((navBox?.x ?? 1) < (mainBox?.x ?? 0)).toBe(true);
    await page.screenshot({ path: screenshotPath('admin-dashboard'), fullPage: true });

    // The range form is a plain GET form.
    await page.fill('#f-from', '2020-01-01');
    await page.fill('#f-to', '2020-01-07');
    await Promise.all([page.waitForURL(/from=2020-01-01/), page.click('form.range-form button[type=submit]')]);
    expect(await page.locator('.sales-table tbody tr').count()).toBe(7);
    await context.close();
  });
});
