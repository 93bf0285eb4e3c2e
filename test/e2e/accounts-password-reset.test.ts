import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshotPath, useShopInBrowser } from '../helpers/browser.js';

/**
 * The whole forgotten-password journey in Chromium with JavaScript off (every page is a plain form):
 * register → sign out → forgot password → read the email → reset → sign in. The email is read from
 * the outbox collection (no SMTP_URL in tests), as a developer would at /admin/outbox.
 */

const OLD_PASSWORD = 'violet harbour lantern 42';
const NEW_PASSWORD = 'seven quiet pebbles uphill';

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `e2e-${Date.now().toString(36)}-${counter}@example.com`;
}

/** Horizontal overflow in px (> 0 means the page scrolls sideways). */
async function overflow(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
}

async function submit(page: Page, formSelector: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`${formSelector} button[type=submit]`)]);
}

describe.skipIf(!browserAvailable())('accounts in Chromium', () => {
  const shop = useShopInBrowser();

  async function newContext(width: number): Promise<BrowserContext> {
    return shop.browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width, height: 800 } });
  }

  /** The reset link of the latest email to `to`, as a path on this server (BASE_URL differs in tests). */
  async function resetPathFromEmail(to: string): Promise<string> {
    const message = await shop.app.db.collection<{ to: string; subject: string; text: string; createdAt: Date }>('outbox').findOne({ to }, { sort: { createdAt: -1 } });
    expect(message?.subject).toMatch(/password/i);
    const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/.exec(message?.text ?? '')?.[0];
    expect(link, 'the email holds a reset link').toBeDefined();
    return new URL(link ?? '').pathname;
  }

  for (const width of [375, 1280]) {
    it(`register → sign out → forgot password → email → reset → sign in, at ${width} px`, async () => {
      const email = uniqueEmail();
      const context = await newContext(width);
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: screenshotPath(`accounts-${name}-${width}`), fullPage: true });

      // Register: a refused password first (message beside the field, input kept), then a good one.
      expect((await page.goto(`${shop.app.baseUrl}/register`))?.status()).toBe(200);
      expect(await page.textContent('label[for=f-password]')).toBe('Password');
      await page.fill('#f-name', 'Beatriz Lima');
      await page.fill('#f-email', email);
      await page.fill('#f-password', 'short');
      await submit(page, 'form.register-form');
      expect(await page.textContent('#e-password')).toBe('Use at least 10 characters.');
      expect(await page.getAttribute('#f-password', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#f-email')).toBe(email);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot('register-error');

      await page.fill('#f-password', OLD_PASSWORD);
      await submit(page, 'form.register-form');
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await page.textContent('.flash')).toBe('Welcome, Beatriz Lima! Your account is ready.');
      expect(await page.textContent('.greeting')).toBe('Hello, Beatriz Lima.');
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot('overview');

      // Sign out (a POST form in the account menu).
      await submit(page, 'form.logout-form');
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.textContent('.flash')).toBe('You are signed out.');
      expect((await page.goto(`${shop.app.baseUrl}/account`))?.url()).toContain('/login?next=%2Faccount');

      // Forgot password, from the sign-in page's link.
      await Promise.all([page.waitForURL(`${shop.app.baseUrl}/forgot-password`), page.click('a[href="/forgot-password"]')]);
      await page.fill('#f-email', email);
      await shot('forgot');
      await submit(page, 'form.forgot-form');
      expect(new URL(page.url()).pathname).toBe('/forgot-password/sent');
      expect(await page.textContent('.forgot-sent')).toContain('If an account exists for that address');

      // The email's link leaves the token in the session and shows the form without it in the URL.
      const resetPath = await resetPathFromEmail(email);
      await page.goto(shop.app.baseUrl + resetPath);
      expect(new URL(page.url()).pathname).toBe('/reset-password');
      expect(await page.textContent('h1')).toBe('Choose a new password');
      await page.fill('#f-password', 'password123');
      await submit(page, 'form.reset-form');
      expect(await page.textContent('#e-password')).toBe('This password is one of the most common ones. Choose another.');
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot('reset-error');

      await page.fill('#f-password', NEW_PASSWORD);
      await submit(page, 'form.reset-form');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.textContent('.flash')).toBe('Your password was changed. You can sign in with it now.');

      // The old password no longer works; the new one does.
      await page.fill('#f-email', email);
      await page.fill('#f-password', OLD_PASSWORD);
      await submit(page, 'form.login-form');
      expect(await page.textContent('.form-error')).toBe('The email or password is not correct.');
      expect(await page.inputValue('#f-email')).toBe(email);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shot('login-error');

      await page.fill('#f-password', NEW_PASSWORD);
      await submit(page, 'form.login-form');
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await page.textContent('.flash')).toBe('You are signed in.');

      // The link was single use.
      await page.goto(shop.app.baseUrl + resetPath);
      expect(await page.textContent('h1')).toBe('This link no longer works');
      await context.close();
    });
  }
});
