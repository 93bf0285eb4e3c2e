import { ObjectId } from 'mongodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { PageDoc } from '../../src/modules/cms/types.js';
import { browserAvailable, launchBrowser, screenshotPath, startListeningApp, type ListeningApp } from '../helpers/browser.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { createUser, type TestUser } from '../integration/admin-fixtures.js';

/**
 * Issue 7: an editor (staff) changes a product's price and image and publishes a content page, and
 * the storefront shows both at once — in Chromium with JavaScript disabled. Screenshots at 1280 px
 * of the editors (structure and commerce too) and the storefront, for review.
 */
describe.skipIf(!browserAvailable())('back-office editors in Chromium', () => {
  let app: ListeningApp;
  let browser: Browser;
  let editor: TestUser;
  let admin: TestUser;
  let product: ProductDoc;
  let page: PageDoc;

  beforeAll(async () => {
    app = await startListeningApp();
    browser = await launchBrowser();
    editor = await createUser(app, 'staff', 'Eddie Editor');
    admin = await createUser(app, 'admin', 'Ada Admin');
    product = await insertProduct(app.db, { title: 'Ceramic mug', price: 1800, variants: [{ stock: 6, sku: 'MUG-BLUE' }] });
    const slug = `our-story-${new ObjectId().toHexString().slice(-6)}`;
    page = await app.services.cms.createPage({ slug, title: { en: 'Our story' }, body: { en: 'We make **mugs** by hand.' }, status: 'draft' });
    const cat = await app.services.catalog.createCategory({ slug: 'kitchen', name: { en: 'Kitchen' } });
    await app.services.catalog.createCategory({ slug: 'mugs', name: { en: 'Mugs' }, parentId: cat._id });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(user: TestUser, next: string): Promise<{ context: BrowserContext; tab: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${app.baseUrl}/login?next=${encodeURIComponent(next)}`);
    await tab.fill('#f-email', user.email);
    await tab.fill('#f-password', user.password);
    await Promise.all([tab.waitForURL(`${app.baseUrl}${next}`), tab.click('form.login-form button[type=submit]')]);
    return { context, tab };
  }

  const submit = (tab: Page, url: string, selector: string) => Promise.all([tab.waitForURL(`${app.baseUrl}${url}`), tab.click(selector)]);

  it('an editor changes a price and an image and publishes a page; the shop shows both at once', async () => {
    const productUrl = `/admin/products/${product._id.toHexString()}`;
    const { context, tab } = await signedIn(editor, productUrl);
    expect(await tab.textContent('h1')).toBe('Ceramic mug');

    await tab.fill('#f-price', '24.50');
    await submit(tab, productUrl, 'form.product-form button[value=save]');
    expect(await tab.textContent('.flashes')).toContain('Product saved');

    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#1d6fb8' } }).png().toBuffer();
    await tab.setInputFiles('#u-image', { name: 'blue-mug.png', mimeType: 'image/png', buffer: png });
    await tab.fill('#u-alt-en', 'A blue ceramic mug');
    await submit(tab, productUrl, 'form.image-upload-form button[type=submit]');
    const stored = await app.db.collection<ProductDoc>('products').findOne({ _id: product._id });
    const mediaId = stored?.images[0]?.mediaId.toHexString();
    expect(mediaId).toMatch(/^[0-9a-f]{24}$/);
    expect(stored?.price.amount).toBe(2450);
    await tab.screenshot({ path: screenshotPath('admin-editor-product'), fullPage: true });

    const pageUrl = `/admin/pages/${page._id.toHexString()}`;
    await tab.goto(`${app.baseUrl}${pageUrl}`);
    await tab.selectOption('#f-status', 'published');
    await submit(tab, pageUrl, 'form.page-form button[value=save]');
    await tab.screenshot({ path: screenshotPath('admin-editor-page'), fullPage: true });

    // Invalid input: the error summary at the top links to the field, the message sits beside it.
    await tab.fill('#f-slug', 'Not A Slug');
    await tab.click('form.page-form button[value=save]');
    expect(await tab.getAttribute('.error-summary a', 'href')).toBe('#f-slug');
    await tab.screenshot({ path: screenshotPath('admin-editor-page-invalid'), fullPage: true });
    await context.close();

    const shopper = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const shop = await shopper.newPage();
    await shop.goto(`${app.baseUrl}/p/${product.slug}`);
    expect(await shop.textContent('.price strong')).toBe('€24.50');
    const sources = await shop.locator('main img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
    expect(sources.some((src) => src.includes(`/media/${mediaId}/`))).toBe(true);
    expect(await shop.getAttribute(`main img[src*="${mediaId}"]`, 'alt')).toBe('A blue ceramic mug');
    await shop.screenshot({ path: screenshotPath('storefront-product-after-edit'), fullPage: true });
    const response = await shop.goto(`${app.baseUrl}/pages/${page.slug}`);
    expect(response?.status()).toBe(200);
    expect(await shop.textContent('main h1')).toBe('Our story');
    expect(await shop.textContent('main strong')).toBe('mugs');
    await shop.screenshot({ path: screenshotPath('storefront-page-published'), fullPage: true });
    await shopper.close();
  });

  it('renders the structure and commerce editors tidily (screenshots for review)', async () => {
    const { context, tab } = await signedIn(admin, '/admin/categories');
    expect(await tab.locator('table.category-tree tbody tr').count()).toBe(2);
    await tab.screenshot({ path: screenshotPath('admin-editor-categories'), fullPage: true });
    await tab.goto(`${app.baseUrl}/admin/categories/new`);
    await tab.fill('#f-slug', 'Bad Slug');
    await tab.click('form.category-form button.primary');
    expect(await tab.locator('.error-summary li').count()).toBe(2);
    await tab.screenshot({ path: screenshotPath('admin-editor-category-invalid'), fullPage: true });

    await tab.goto(`${app.baseUrl}/admin/menu`);
    await tab.selectOption('#f-l0_kind', 'category');
    await tab.selectOption('#f-l0_category', { label: 'Kitchen' });
    await submit(tab, '/admin/menu', 'form.menu-form button.primary');
    await tab.selectOption('#f-l1_kind', 'url');
    await tab.fill('#f-l1_url', '/pages/' + page.slug);
    await tab.fill('#f-l1_label_en', 'Our story');
    await submit(tab, '/admin/menu', 'form.menu-form button.primary');
    await submit(tab, '/admin/menu', 'button[value="up:1"]');
    expect(await tab.inputValue('#f-l0_url')).toBe('/pages/' + page.slug);
    await tab.screenshot({ path: screenshotPath('admin-editor-menu'), fullPage: true });

    await tab.goto(`${app.baseUrl}/admin/home/new?kind=hero`);
    await tab.fill('#f-heading_en', 'Handmade in Lisbon');
    await tab.fill('#f-text_en', 'Mugs, bowls and plates from our workshop.');
    await submit(tab, '/admin/home/0', 'form.section-form button.primary');
    const png = await sharp({ create: { width: 1200, height: 500, channels: 3, background: '#c9774a' } }).png().toBuffer();
    await tab.setInputFiles('#f-image', { name: 'hero.png', mimeType: 'image/png', buffer: png });
    await submit(tab, '/admin/home/0', 'form.hero-image-form button[type=submit]');
    expect(await tab.getAttribute('img.hero-thumb', 'src')).toMatch(/^\/media\//);
    await tab.screenshot({ path: screenshotPath('admin-editor-home-hero'), fullPage: true });
    await tab.goto(`${app.baseUrl}/admin/home`);
    await tab.screenshot({ path: screenshotPath('admin-editor-home'), fullPage: true });

    for (const [path, name] of [['/admin/shipping', 'shipping'], ['/admin/shipping/standard', 'shipping-method'], ['/admin/taxes', 'taxes'], ['/admin/discounts/new', 'discount-new']] as const) {
      await tab.goto(`${app.baseUrl}${path}`);
      await tab.screenshot({ path: screenshotPath(`admin-editor-${name}`), fullPage: true });
    }
    await tab.fill('#f-code', 'SUMMER25');
    await tab.fill('#f-value', '25');
    await Promise.all([tab.waitForURL(/\/admin\/discounts\/[0-9a-f]{24}$/), tab.click('form.discount-form button.primary')]);
    await tab.goto(`${app.baseUrl}/admin/discounts`);
    await tab.screenshot({ path: screenshotPath('admin-editor-discounts'), fullPage: true });
    await context.close();

    const shopper = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const shop = await shopper.newPage();
    await shop.goto(app.baseUrl);
    expect(await shop.textContent('.store-hero h2')).toBe('Handmade in Lisbon');
    expect(await shop.locator('nav.main-nav a').allTextContents()).toEqual(expect.arrayContaining(['Our story', 'Kitchen']));
    await shop.screenshot({ path: screenshotPath('storefront-home-after-edit'), fullPage: true });
    await shopper.close();
  });
});
