import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeders } from '../../src/seed/index.js';
import { axeViolations } from '../helpers/axe.js';
import { browserAvailable, launchBrowser, screenshotPath, startListeningApp, type ListeningApp } from '../helpers/browser.js';

/**
 * The storefront in Chromium over the demo shop (npm run seed's data: categories, products with
 * variants and generated pictures, pages, menu, home sections). JavaScript is off for the journey:
 * the shop must work without it. Screenshots land in test-results/.
 */
describe.skipIf(!browserAvailable())('storefront in Chromium', () => {
  let app: ListeningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startListeningApp();
    await runSeeders({ db: app.db, services: app.services, config: app.config, log: () => undefined });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
  }

  /** Pictures in view have loaded (no broken or missing images) and nothing overflows sideways. */
  async function expectSoundLayout(page: Page): Promise<void> {
    const broken = await page.evaluate(`[...document.images].filter((i) => i.loading !== 'lazy' && (!i.complete || i.naturalWidth === 0)).map((i) => i.currentSrc || i.src)`);
    expect(broken).toEqual([]);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
  }

  for (const width of [375, 1280]) {
    it(`home → category → filter by size → product → variant, ${width} px wide, without JavaScript`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width, height: 900 } });
      const page = await context.newPage();

      expect((await page.goto(`${app.baseUrl}/`))?.status()).toBe(200);
      await page.waitForLoadState('load');
      expect(await page.locator('.store-hero h2').textContent()).toBeTruthy();
      await expectSoundLayout(page);
      await shot(page, `storefront-1-home-${width}`);

      await Promise.all([page.waitForURL(/\/c\/clothing$/), page.click('.main-nav a[href="/c/clothing"]')]);
      expect(await page.locator('h1').textContent()).toBe('Clothing');
      const allCount = await page.locator('#results-count').textContent();
      await expectSoundLayout(page);
      await shot(page, `storefront-2-category-${width}`);

      await page.check('input[name=o_size][value=xs]');
      await Promise.all([page.waitForURL(/o_size=xs/), page.click('form.filters button[type=submit]')]);
      expect(await page.isChecked('input[name=o_size][value=xs]')).toBe(true);
      const filteredCount = await page.locator('#results-count').textContent();
      expect(filteredCount).not.toBe(allCount);
      expect(await page.locator('.grid .card').count()).toBeGreaterThan(0);
      await expectSoundLayout(page);
      await shot(page, `storefront-3-filtered-${width}`);

      const firstTitle = (await page.locator('.grid .card .card-title').first().textContent())?.trim();
      await Promise.all([page.waitForURL(/\/p\//), page.locator('.grid .card .card-link').first().click()]);
      expect((await page.locator('h1').textContent())?.trim()).toBe(firstTitle);
      await expectSoundLayout(page);
      await shot(page, `storefront-4-product-${width}`);

      // Choose another size with the no-JS variant form: the page reloads on that variant.
      const skuBefore = await page.locator('.sku').textContent();
      const values = await page.locator('#opt-size option').evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''));
      const current = await page.locator('#opt-size').inputValue();
      const other = values.find((v) => v !== current);
      expect(other).toBeDefined();
      await page.selectOption('#opt-size', other ?? '');
      await Promise.all([page.waitForURL(new RegExp(`o_size=${other}`)), page.click('form.variant-form button[type=submit]')]);
      expect(await page.locator('#opt-size').inputValue()).toBe(other);
      expect(await page.locator('.sku').textContent()).not.toBe(skuBefore);
      expect(await page.locator('.availability').textContent()).toBeTruthy();
      await expectSoundLayout(page);
      await shot(page, `storefront-5-variant-${width}`);
      await context.close();
    }, 60_000);
  }

  it('has no serious or critical accessibility violations (axe-core) on home, category, product, search and a content page', async () => {
    // axe is injected as a script: JavaScript on and the CSP bypassed, for the test only.
    const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // The check itself works: a picture without alt text is a critical violation.
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main></html>');
    expect((await axeViolations(page)).map((v) => v.id)).toContain('image-alt');

    await page.goto(`${app.baseUrl}/c/clothing`);
    const product = await page.locator('.grid .card-link').first().getAttribute('href');
    const word = (await page.locator('.grid .card-title').first().textContent())?.trim().split(/\s+/)[0] ?? 'shirt';
    const found: Record<string, unknown> = {};
    for (const path of ['/', '/c/clothing', '/c/clothing?o_size=xs&stock=1', product ?? '/p/none', `/search?q=${encodeURIComponent(word)}`, '/search?q=zzzz', '/pages/about']) {
      expect((await page.goto(app.baseUrl + path))?.status()).toBe(200);
      const violations = await axeViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  }, 60_000);
});
