import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';

/**
 * The signed-in account pages in Chromium (JavaScript off), in Brazilian Portuguese: translated labels,
 * messages beside the fields, no sideways scrolling at 375 px, and a readable layout at 1280 px.
 */

const PASSWORD = 'amber kettle mountain 7';
let counter = 0;

async function overflow(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
}

async function submit(page: Page, formSelector: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`${formSelector} button[type=submit]`)]);
}

/** A rule of accounts.css applies (the stylesheet loaded and matches the markup). */
async function computed(page: Page, selector: string, property: string): Promise<string> {
  return String(await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`));
}

describe.skipIf(!browserAvailable())('account pages in Chromium', () => {
  const shop = useShopInBrowser();

  for (const width of [375, 1280]) {
    it(`profile, password, addresses and orders in pt-BR at ${width} px`, async () => {
      counter += 1;
      const email = `pages-${Date.now().toString(36)}-${counter}@example.com`;
      const context = await shop.browser.newContext({ javaScriptEnabled: false, locale: 'pt-BR', viewport: { width, height: 800 } });
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: screenshotPath(`accounts-${name}-pt-BR-${width}`), fullPage: true });
      const noSideScroll = async () => expect(await overflow(page)).toBeLessThanOrEqual(0);

      await page.goto(`${shop.app.baseUrl}/register`);
      expect(await page.textContent('h1')).toBe('Criar conta');
      // Labels sit above their inputs, and the inputs fill the column.
      const label = await page.locator('label[for=f-email]').boundingBox();
      const input = await page.locator('#f-email').boundingBox();
      expect(input && label && input.y >= label.y + label.height - 1).toBe(true);
      expect(await computed(page, '.auth-page', 'maxWidth')).not.toBe('none');
      await page.fill('#f-name', 'Joana Souza');
      await page.fill('#f-email', email);
      await page.fill('#f-password', PASSWORD);
      await submit(page, 'form.register-form');
      expect(await page.textContent('.flash')).toBe('Boas-vindas, Joana Souza! Sua conta está pronta.');
      await noSideScroll();

      // Address form: empty and malformed fields are named beside the field, the input is kept.
      await page.goto(`${shop.app.baseUrl}/account/addresses/new`);
      await page.fill('#f-fullName', 'Joana Souza');
      await page.selectOption('#f-country', 'BR');
      await page.fill('#f-postalCode', '123');
      await submit(page, 'form.address-form');
      expect(await page.textContent('.form-error')).toBe('Corrija os campos indicados abaixo.');
      expect(await page.textContent('#e-line1')).toBe('Este campo é obrigatório.');
      expect(await page.textContent('#e-postalCode')).toBe('Este código postal não parece válido para o país (exemplo: 01310-100).');
      expect(await page.inputValue('#f-fullName')).toBe('Joana Souza');
      // The error is styled as one (red), not plain text.
      expect(await computed(page, '#e-line1', 'color')).toBe('rgb(165, 42, 42)');
      await noSideScroll();
      await shot('address-errors');

      await page.fill('#f-line1', 'Avenida Paulista, 1578');
      await page.fill('#f-postalCode', '01310200');
      await page.fill('#f-city', 'São Paulo');
      await page.fill('#f-region', 'SP');
      await page.check('#f-defaultShipping');
      await submit(page, 'form.address-form');
      expect(new URL(page.url()).pathname).toBe('/account/addresses');
      expect(await page.textContent('.flash')).toBe('O endereço foi salvo.');
      expect(await page.textContent('.address address')).toContain('01310-200 São Paulo, SP');
      expect(await page.textContent('.address .default-shipping')).toBe('Entrega padrão');
      await noSideScroll();
      await shot('addresses');

      // Change password with a wrong current one.
      await page.goto(`${shop.app.baseUrl}/account/password`);
      await page.fill('#f-currentPassword', 'not my password at all');
      await page.fill('#f-password', 'brand new walnut sofa');
      await submit(page, 'form.password-form');
      expect(await page.textContent('#e-currentPassword')).toBe('A senha não está correta.');
      await noSideScroll();
      await shot('password-error');

      await page.goto(`${shop.app.baseUrl}/account/profile`);
      expect(await page.inputValue('#f-name')).toBe('Joana Souza');
      await noSideScroll();
      await shot('profile');

      await page.goto(`${shop.app.baseUrl}/account/orders`);
      expect(await page.getAttribute('.account-nav a[href="/account/orders"]', 'aria-current')).toBe('page');
      await noSideScroll();
      await shot('orders');
      await context.close();
    });
  }
});
