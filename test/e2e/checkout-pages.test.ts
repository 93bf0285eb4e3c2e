import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { insertProduct } from '../fixtures/shop-data.js';
import { insertDiscountCode } from '../integration/checkout-fixtures.js';
import { axeViolations } from '../helpers/axe.js';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';

/**
 * The look of the shop's buying pages (css/site.css): cart, every checkout step, the confirmation,
 * the customer's order history and order page, at 375 px and 1280 px. No sideways scrolling, the
 * stylesheet's layout applies, and axe-core finds no serious issue (contrast included).
 */

const PASSWORD = 'amber kettle mountain 7';
let counter = 0;

describe.skipIf(!browserAvailable())('shop pages in Chromium', () => {
  const shop = useShopInBrowser();

  async function go(page: Page, click: string, path: string | RegExp): Promise<void> {
    await Promise.all([page.waitForURL(typeof path === 'string' ? `${shop.app.baseUrl}${path}` : path), page.click(click)]);
  }

  /** A signed-in customer buys two things; `visit(name)` runs on every page on the way. */
  async function walk(options: BrowserContextOptions, visit: (page: Page, name: string) => Promise<void>): Promise<void> {
    counter += 1;
    const lamp = await insertProduct(shop.app.db, { title: 'Paper lamp with a rather long name for wrapping', price: 4900, variants: [{ stock: 5 }] });
    const vase = await insertProduct(shop.app.db, { title: 'Clay vase', price: 2600, variants: [{ stock: 8 }] });
    const context = await shop.browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${shop.app.baseUrl}/register`);
    await page.fill('form.register-form input[name=name]', 'Rita Lopes');
    await page.fill('form.register-form input[name=email]', `shop-pages-${Date.now().toString(36)}-${counter}@example.com`);
    await page.fill('form.register-form input[name=password]', PASSWORD);
    await go(page, 'form.register-form button[type=submit]', '/account');

    for (const [slug, qty] of [[lamp.slug, '1'], [vase.slug, '2']] as const) {
      await page.goto(`${shop.app.baseUrl}/p/${slug}`);
      await page.fill('form.add-to-cart input[name=quantity]', qty);
      await go(page, 'form.add-to-cart button[type=submit]', '/cart');
    }
    await visit(page, 'cart');
    await go(page, 'a[href="/checkout"]', '/checkout/contact');
    await visit(page, 'contact');
    await go(page, 'form.contact-form button[type=submit]', '/checkout/address');
    await page.fill('input[name=fullName]', 'Rita Lopes');
    await page.selectOption('select[name=country]', 'PT');
    await Promise.all([page.waitForLoadState('load'), page.click('form.address-form button[type=submit]')]);
    await visit(page, 'address-errors');
    await page.fill('input[name=line1]', 'Rua Augusta 10');
    await page.fill('input[name=postalCode]', '1100-148');
    await page.fill('input[name=city]', 'Lisboa');
    await go(page, 'form.address-form button[type=submit]', '/checkout/shipping');
    await visit(page, 'shipping');
    await page.check('input[name=method][value=standard]');
    await go(page, 'form.shipping-form button[type=submit]', '/checkout/discount');
    await visit(page, 'discount');
    // A code: the side summary then shows the discount and the goods after it.
    await page.fill('form.discount-form input[name=code]', await insertDiscountCode(shop.app, { kind: 'percentage', value: 1000 }));
    await go(page, 'form.discount-form button[type=submit]', '/checkout/review');
    await page.goto(`${shop.app.baseUrl}/checkout/discount`);
    await visit(page, 'discount-applied');
    await go(page, 'form.discount-skip-form button[type=submit]', '/checkout/review');
    await page.check('input[name=paymentMethod][value=bank_transfer]');
    await visit(page, 'review');
    await go(page, 'form.place-form button[type=submit]', /\/checkout\/done\/[0-9a-f]{24}$/);
    await visit(page, 'confirmation');
    await page.goto(`${shop.app.baseUrl}/account/orders`);
    await visit(page, 'history');
    await go(page, 'table.orders tbody tr:first-child a', /\/account\/orders\/[0-9a-f]{24}$/);
    await visit(page, 'order');
    await context.close();
  }

  for (const width of [375, 1280]) {
    it(`cart, checkout steps, confirmation and order pages at ${width} px`, async () => {
      const seen: string[] = [];
      await walk({ viewport: { width, height: 900 } }, async (page, name) => {
        seen.push(name);
        const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
        expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: screenshotPath(`shop-${name}-${width}`), fullPage: true });
      });
      expect(seen).toHaveLength(10);
    });
  }

  it('lays the pages out with the stylesheet: numbered steps, framed choices, a totals panel, the account menu', async () => {
    const style = (page: Page, selector: string, property: string) =>
      page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`);
    const checked: string[] = [];
    await walk({ viewport: { width: 1280, height: 900 } }, async (page, name) => {
      if (name === 'shipping') {
        expect(await style(page, '.checkout-steps ol', 'display')).toBe('flex');
        expect(await style(page, '.shipping-form .field.radio', 'borderTopStyle')).toBe('solid');
        // Summary beside the form on a wide screen.
        const form = await page.locator('.shipping-form').boundingBox();
        const aside = await page.locator('.checkout-summary').boundingBox();
        expect(form && aside && aside.x > form.x + form.width - 1).toBe(true);
        checked.push(name);
      }
      if (name === 'discount-applied') {
        // The discount and the goods after it are rows of the summary, like its subtotal.
        expect(await style(page, '.summary-discount', 'display')).toBe('flex');
        expect(await style(page, '.summary-goods', 'display')).toBe('flex');
        // An amount stays on one line (a narrow summary wraps the label, never "−" away from "€10.10").
        const lines = await page.evaluate(`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('.summary-discount strong')); return r.getClientRects().length; })()`);
        expect(lines).toBe(1);
        checked.push(name);
      }
      if (name === 'review') {
        expect(await style(page, '.totals', 'display')).toBe('grid');
        expect(await style(page, '.totals-total dd', 'fontWeight')).toBe('700');
        checked.push(name);
      }
      if (name === 'order') {
        expect(await style(page, '.account-nav', 'display')).toBe('flex');
        checked.push(name);
      }
    });
    expect(checked).toEqual(['shipping', 'discount-applied', 'review', 'order']);
  });

  it('has no serious or critical accessibility violations (axe-core, contrast included) on any of these pages', async () => {
    const found: Record<string, string[]> = {};
    await walk({ viewport: { width: 375, height: 900 }, javaScriptEnabled: true, bypassCSP: true }, async (page, name) => {
      const violations = await axeViolations(page);
      if (violations.length > 0) found[name] = violations.map((v) => `${v.id}: ${v.targets.join(', ')}`);
    });
    expect(found).toEqual({});
  });
});
