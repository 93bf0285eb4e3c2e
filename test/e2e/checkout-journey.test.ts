import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { insertProduct } from '../fixtures/shop-data.js';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';

/** The shopping journeys in Chromium with JavaScript disabled for the whole visit: forms only. */

describe.skipIf(!browserAvailable())('checkout in Chromium without JavaScript', () => {
  const shop = useShopInBrowser();

  /** Opens the product page, sets the quantity, presses "Add to cart" (a plain form POST). */
  async function addFromProductPage(page: Page, slug: string, quantity: string): Promise<void> {
    await page.goto(`${shop.app.baseUrl}/p/${slug}`);
    await page.fill('form.add-to-cart input[name=quantity]', quantity);
    await Promise.all([page.waitForURL(`${shop.app.baseUrl}/cart`), page.click('form.add-to-cart button[type=submit]')]);
  }

  async function submit(page: Page, selector: string, nextPath: string): Promise<void> {
    await Promise.all([page.waitForURL(`${shop.app.baseUrl}${nextPath}`), page.click(`${selector} button[type=submit]`)]);
  }

  it('a guest adds two items, pays by bank transfer, sees the confirmation; the email is in the outbox', async () => {
    const shirt = await insertProduct(shop.app.db, { title: 'Linen shirt', price: 3500, variants: [{ stock: 4 }] });
    const scarf = await insertProduct(shop.app.db, { title: 'Wool scarf', price: 2200, variants: [{ stock: 5 }] });
    const context = await shop.browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);

    await addFromProductPage(page, shirt.slug, '1');
    await addFromProductPage(page, scarf.slug, '2');
    expect(await page.locator('tr.cart-line').count()).toBe(2);
    expect((await page.textContent('.cart-link .badge'))?.trim()).toBe('3 items');
    await page.screenshot({ path: screenshotPath('checkout-cart'), fullPage: true });

    await Promise.all([page.waitForURL(`${shop.app.baseUrl}/checkout/contact`), page.click('a[href="/checkout"]')]);
    await page.fill('form.contact-form input[name=email]', 'shop.browser.guest@example.com');
    await submit(page, 'form.contact-form', '/checkout/address');
    await page.fill('input[name=fullName]', 'Ana Silva');
    await page.selectOption('select[name=country]', 'PT');
    await page.fill('input[name=line1]', 'Rua Augusta 10');
    await page.fill('input[name=postalCode]', '1100-148');
    await page.fill('input[name=city]', 'Lisboa');
    await submit(page, 'form.address-form', '/checkout/shipping');
    await page.check('input[name=method][value=standard]');
    await submit(page, 'form.shipping-form', '/checkout/discount');
    await submit(page, 'form.discount-skip-form', '/checkout/review');
    // 35.00 + 2 × 22.00 = 79.00: free standard delivery, PT VAT included.
    expect(await page.textContent('.totals-total dd')).toBe('€79.00');
    await page.check('input[name=paymentMethod][value=bank_transfer]');
    await page.screenshot({ path: screenshotPath('checkout-review'), fullPage: true });

    await Promise.all([page.waitForURL(/\/checkout\/done\/[0-9a-f]{24}$/), page.click('form.place-form button[type=submit]')]);
    const number = /Your order number is (\d{4,})\./.exec((await page.textContent('.order-number')) ?? '')?.[1];
    expect(number).toBeDefined();
    expect(await page.textContent('.bank-instructions .iban')).toContain('PT50');
    await page.screenshot({ path: screenshotPath('checkout-confirmation'), fullPage: true });

    const mail = await shop.app.db.collection('outbox').findOne({ to: 'shop.browser.guest@example.com' });
    expect(mail?.subject).toBe(`Your order ${number ?? '?'} is confirmed`);
    expect(mail?.text).toContain('IBAN');
    // The header count went back to zero with the emptied cart.
    await page.goto(`${shop.app.baseUrl}/cart`);
    expect(await page.locator('.cart-empty').count()).toBe(1);
    await context.close();
  });

  it('a customer with a guest cart signs in and sees the merged cart with its notice', async () => {
    const lamp = await insertProduct(shop.app.db, { title: 'Paper lamp', price: 4900, variants: [{ stock: 3 }] });
    const vase = await insertProduct(shop.app.db, { title: 'Clay vase', price: 2600, variants: [{ stock: 8 }] });
    const email = `merge.${Date.now().toString(36)}@example.com`;
    const password = 'correct horse battery staple';
    const context = await shop.browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);

    // An account with a saved cart (one lamp), then signed out.
    await page.goto(`${shop.app.baseUrl}/register`);
    await page.fill('form.register-form input[name=name]', 'Rita Merge');
    await page.fill('form.register-form input[name=email]', email);
    await page.fill('form.register-form input[name=password]', password);
    await submit(page, 'form.register-form', '/account');
    await addFromProductPage(page, lamp.slug, '1');
    await page.goto(`${shop.app.baseUrl}/account`);
    await submit(page, 'form.logout-form', '/');

    // As a guest: three more lamps (only two more exist) and a vase; then sign in from the cart.
    await addFromProductPage(page, lamp.slug, '3');
    await addFromProductPage(page, vase.slug, '1');
    await Promise.all([page.waitForURL(/\/login\?next=/), page.click('.cart-signin a')]);
    await page.fill('form.login-form input[name=email]', email);
    await page.fill('form.login-form input[name=password]', password);
    await submit(page, 'form.login-form', '/cart');

    const notice = (await page.textContent('.flash-info'))?.trim();
    expect(notice).toBe('Welcome back! We added 3 items from before you signed in to your saved cart; some quantities were limited to the stock available.');
    const rows = page.locator('tr.cart-line');
    expect(await rows.count()).toBe(2);
    expect(await page.inputValue(`tr.cart-line[data-variant="${lamp.variants[0]?._id.toHexString() ?? ''}"] input[name=qty]`)).toBe('3');
    expect(await page.inputValue(`tr.cart-line[data-variant="${vase.variants[0]?._id.toHexString() ?? ''}"] input[name=qty]`)).toBe('1');
    expect((await page.textContent('.cart-link .badge'))?.trim()).toBe('4 items');
    await page.screenshot({ path: screenshotPath('checkout-merged-cart'), fullPage: true });
    await context.close();
  });
});
