import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';

describe.skipIf(!browserAvailable())('in Chromium', () => {
  const shop = useShopInBrowser();

  it('switches the language with the footer form (no JavaScript) and shows the translated page', async () => {
    const context = await shop.browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const response = await page.goto(`${shop.app.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Welcome to Vitrine');
    // The stylesheet loaded (CSP allows it): the footer is dark.
    const footerBg = await page.evaluate("getComputedStyle(document.querySelector('footer')).backgroundColor");
    expect(footerBg).toBe('rgb(29, 36, 33)');

    await page.selectOption('#language-select', 'es');
    await Promise.all([page.waitForURL(`${shop.app.baseUrl}/`), page.click('form.language-form button[type=submit]')]);

    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.textContent('h1')).toBe('Bienvenido a Vitrine');
    expect(await page.textContent('.flash')).toBe('La tienda ahora se muestra en español.');
    await page.screenshot({ path: screenshotPath('home-es'), fullPage: true });
    await context.close();
  });

  it('is usable at 320 px wide without horizontal scrolling', async () => {
    const context = await shop.browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 }, locale: 'pt-BR' });
    const page = await context.newPage();
    await page.goto(`${shop.app.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    // Measuring needs script evaluation from the test, which works even with page JavaScript disabled.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('home-pt-BR-320'), fullPage: true });
    await context.close();
  });

  it('shows where the keyboard focus is: the skip link first, then a visible ring on each control', async () => {
    const context = await shop.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${shop.app.baseUrl}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
    expect(Number(await page.evaluate('document.activeElement.getBoundingClientRect().top'))).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const ring = String(await page.evaluate('(() => { const s = getComputedStyle(document.activeElement); return s.boxShadow + "|" + s.outlineStyle; })()'));
      const [shadow, outline] = ring.split('|');
      expect(shadow !== 'none' || outline !== 'none', ring).toBe(true);
    }
    await context.close();
  });
});
