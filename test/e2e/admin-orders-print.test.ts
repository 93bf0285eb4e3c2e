import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlacedOrder } from '../../src/modules/orders/types.js';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';
import { createUser, type TestUser } from '../integration/admin-fixtures.js';
import { placeOrder } from '../integration/admin-orders-fixtures.js';

/**
 * The packing slip and the invoice print without the back office's chrome: the stylesheet they link
 * (a fingerprinted copy of a file in public/) has @media print rules that hide the page's navigation
 * and actions, checked with the browser's own CSS parser (CSSOM) and by printing (emulated media).
 */

/** Back-office navigation and actions, whichever of them a page uses. */
const CHROME = '.print-toolbar, .admin-header, .admin-nav, nav, form, button, .button, .page-actions';

interface PrintRules {
  /** Sheets (by URL) that hold an @media print block. */
  printSheets: string[];
  /** Each navigation/action element on the page, with the print rule selectors that set display: none on it. */
  chrome: { element: string; hiddenBy: string[] }[];
}

/**
 * Walks the page's linked style sheets in the browser (CSSOM: the browser's own CSS parser): which hold
 * an @media print block, and which of those print rules set display: none on each chrome element.
 * Plain JavaScript run in the page (the project's TypeScript has no DOM types).
 */
const PRINT_RULES = `(chromeSelector) => {
  const printSheets = [];
  const hiding = [];
  const walk = (rules, inPrint, sheet) => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSMediaRule) {
        const print = Array.from(rule.media).some((m) => m.trim() === 'print');
        if (print && !printSheets.includes(sheet)) printSheets.push(sheet);
        walk(rule.cssRules, inPrint || print, sheet);
      } else if (rule instanceof CSSStyleRule && inPrint && rule.style.getPropertyValue('display').trim() === 'none') {
        hiding.push(rule.selectorText);
      }
    }
  };
  for (const sheet of Array.from(document.styleSheets)) walk(sheet.cssRules, false, sheet.href || '(inline)');
  const chrome = Array.from(document.querySelectorAll(chromeSelector)).map((el) => ({
    element: el.tagName.toLowerCase() + '.' + Array.from(el.classList).join('.'),
    hiddenBy: hiding.filter((selector) => el.matches(selector)),
  }));
  return { printSheets, chrome };
}`;

const printRules = async (page: Page): Promise<PrintRules> => (await page.evaluate(`(${PRINT_RULES})(${JSON.stringify(CHROME)})`)) as PrintRules;

describe.skipIf(!browserAvailable())('printing a packing slip and an invoice in Chromium', () => {
  let admin: TestUser;
  let order: PlacedOrder;
  let context: BrowserContext;
  let page: Page;
  const shop = useShopInBrowser(async (app) => {
    admin = await createUser(app, 'admin', 'Pat Printer');
    ({ order } = await placeOrder(app, { qty: 2 }));
  });

  beforeAll(async () => {
    const { browser, app } = shop;
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 900 } });
    page = await context.newPage();
    await page.goto(`${app.baseUrl}/login?next=${encodeURIComponent('/admin/orders')}`);
    await page.fill('#f-email', admin.email);
    await page.fill('#f-password', admin.password);
    await Promise.all([page.waitForURL(`${app.baseUrl}/admin/orders`), page.click('form.login-form button[type=submit]')]);
  });
  afterAll(async () => context?.close());

  for (const doc of ['packing-slip', 'invoice'] as const) {
    it(`${doc}: links public/ stylesheets by hashed URL whose @media print rules hide its navigation and actions`, async () => {
      const { app } = shop;
      await page.emulateMedia({ media: 'screen' });
      const res = await page.goto(`${app.baseUrl}/admin/orders/${order.number}/${doc}`);
      expect(res?.status()).toBe(200);

      // The linked sheets are fingerprinted copies of files in public/css.
      const hrefs = await page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => l.getAttribute('href') ?? ''));
      expect(hrefs.length).toBeGreaterThan(0);
      for (const href of hrefs) {
        const m = /^\/assets\/(css\/[\w-]+)\.[0-9a-f]{10}\.css$/.exec(href);
        expect(m, href).not.toBeNull();
        const css = await page.request.get(`${app.baseUrl}${href}`);
        expect(css.status()).toBe(200);
        expect(css.headers()['content-type']).toMatch(/^text\/css/);
        expect(await css.text()).toBe(readFileSync(join(process.cwd(), 'public', `${m?.[1]}.css`), 'utf8'));
      }

      // The page's own chrome: the back link to the order (no admin layout, no forms or buttons).
      expect(await page.getAttribute('.print-toolbar a', 'href')).toBe(`/admin/orders/${order.number}`);
      expect(await page.locator('script').count()).toBe(0);

      const rules = await printRules(page);
      expect(rules.printSheets.some((s) => /\/assets\/css\/admin\.[0-9a-f]{10}\.css$/.test(s))).toBe(true);
      expect(rules.chrome.map((c) => c.element)).toEqual(['p.print-toolbar']);
      for (const c of rules.chrome) expect(c.hiddenBy, `${c.element} is hidden by a print rule`).not.toEqual([]);

      // On screen the toolbar shows; printed, it does not, and the document itself does.
      expect(await page.locator('.print-toolbar').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.print-toolbar').isVisible()).toBe(false);
      expect(await page.locator('.print-page h1').isVisible()).toBe(true);
      expect(await page.locator('.print-table tbody tr').first().isVisible()).toBe(true);
      if (doc === 'invoice') {
        // The totals print one per line (label left, amount right), the total last.
        const rows = await page.locator('.print-page .totals > div').evaluateAll((divs) => divs.map((d) => {
          const box = d.getBoundingClientRect();
          return { top: box.top, label: d.querySelector('dt')?.textContent?.trim() ?? '' };
        }));
        expect(rows.map((r) => r.label)).toEqual(['Subtotal', 'Shipping', 'Includes VAT 23%', 'Total']);
        for (let i = 1; i < rows.length; i++) expect(rows[i]?.top ?? 0, rows[i]?.label).toBeGreaterThan(rows[i - 1]?.top ?? 0);
      }
      await page.screenshot({ path: screenshotPath(`admin-order-print-${doc}`), fullPage: true });
    });
  }

  it('order page: printed, shows the order without the admin navigation or its action buttons', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${shop.app.baseUrl}/admin/orders/${order.number}`);
    expect(await page.locator('.page-actions').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    for (const chrome of ['.page-actions', '.admin-nav', '.admin-header']) expect(await page.locator(chrome).first().isVisible(), chrome).toBe(false);
    expect(await page.locator('.admin-main h1').isVisible()).toBe(true);
    await page.close();
  });
});
