import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../src/modules/media/image-processing.js';
import type { HomeDoc, MenuDoc } from '../../src/modules/cms/types.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Issue 7 point 3: the menu and the home page sections (staff may edit them). */
describe('admin menu and home sections', () => {
  let t: TestApp;
  let staff: TestAgent;
  const content = () => t.db.collection<MenuDoc | HomeDoc>('siteContent');
  const menu = async () => (await content().findOne({ _id: 'main' })) as MenuDoc | null;
  const home = async () => (await content().findOne({ _id: 'home' })) as HomeDoc | null;
  const navLinks = async () => (await new TestAgent(t.app).get('/')).html().querySelectorAll('nav.main-nav a').map((a) => `${a.text.trim()} ${a.getAttribute('href')}`);
  const suffix = () => new ObjectId().toHexString().slice(-8);

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('adds category, page and URL links, moves and removes them; the shop header follows at once', async () => {
    const cat = await t.services.catalog.createCategory({ slug: `shoes-${suffix()}`, name: { en: 'Shoes' } });
    const page = await t.services.cms.createPage({ slug: `about-${suffix()}`, title: { en: 'About us' }, body: { en: 'Hi' } });
    let form = await staff.get('/admin/menu');
    form = await staff.submitForm(form, 'form.menu-form', { l0_kind: 'category', l0_category: cat._id.toHexString() }, { follow: true });
    form = await staff.submitForm(form, 'form.menu-form', { l1_kind: 'page', l1_page: page._id.toHexString(), l1_label_en: 'Who we are' }, { follow: true });
    form = await staff.submitForm(form, 'form.menu-form', { l2_kind: 'url', l2_url: 'https://blog.example/', l2_label_en: 'Blog', l2_label_es: 'Blog (es)' }, { follow: true });
    expect(form.status).toBe(200);
    expect(await navLinks()).toEqual(['Shoes /c/' + cat.slug, `Who we are /pages/${page.slug}`, 'Blog https://blog.example/']);

    const up = await staff.submitForm(form, 'form.menu-form', { op: 'up:2' });
    expect(up.status).toBe(303);
    expect((await navLinks()).map((l) => l.split(' ')[0])).toEqual(['Shoes', 'Blog', 'Who']);
    const removed = await staff.submitForm(await staff.get('/admin/menu'), 'form.menu-form', { op: 'remove:0' });
    expect(removed.status).toBe(303);
    expect((await navLinks()).map((l) => l.split(' ')[0])).toEqual(['Blog', 'Who']);
    expect((await menu())?.links[0]).toMatchObject({ kind: 'url', label: { en: 'Blog', es: 'Blog (es)' } });
    expect(await t.db.collection('audit_log').countDocuments({ action: 'menu.update' })).toBe(5);
  });

  it('refuses javascript: links and unknown targets (422, input kept), a missing CSRF token and other roles', async () => {
    const before = await menu();
    const form = await staff.get('/admin/menu');
    const last = Number(form.html().querySelector('input[name=count]')?.getAttribute('value')) - 1;
    const bad = await staff.submitForm(form, 'form.menu-form', { [`l${last}_kind`]: 'url', [`l${last}_url`]: 'javascript:alert(1)', [`l${last}_label_en`]: 'Evil' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'))).toEqual([`#f-l${last}_url`]);
    expect(bad.html().querySelector(`#f-l${last}_label_en`)?.getAttribute('value')).toBe('Evil');
    const noPage = await staff.submitForm(form, 'form.menu-form', { [`l${last}_kind`]: 'page', [`l${last}_page`]: new ObjectId().toHexString() });
    expect(noPage.status).toBe(422);
    expect((await staff.post('/admin/menu', { version: String(before?.version ?? 0), count: '1', l0_kind: 'url', l0_url: '/x', l0_label_en: 'X' })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post('/admin/menu', { _csrf: csrfOf(await customer.get('/account')), count: '1' })).status).toBe(403);
    expect((await new TestAgent(t.app).get('/admin/menu')).location).toMatch(/^\/login/);
    expect((await menu())?.version).toBe(before?.version);
  });

  it('adds, edits, reorders and removes home sections; the home page shows each change at once', async () => {
    const product = await insertProduct(t.db, { title: 'Copper kettle', variants: [{ stock: 3, sku: `KETTLE-${suffix()}` }] });
    const sku = product.variants[0]?.sku ?? '';
    const newText = await staff.get('/admin/home/new?kind=richText');
    const preview = await staff.submitForm(newText, 'form.section-form', { action: 'preview', markdown_en: 'Hello **world**' });
    expect(preview.status).toBe(200);
    expect(preview.html().querySelector('.page-preview strong')?.text).toBe('world');
    expect(await home()).toBeNull();
    expect((await staff.submitForm(preview, 'form.section-form', { action: 'save' })).status).toBe(303);

    const newProducts = await staff.get('/admin/home/new?kind=featuredProducts');
    const unknown = await staff.submitForm(newProducts, 'form.section-form', { heading_en: 'Picks', products: `${sku}\nno-such-thing` });
    expect(unknown.status).toBe(422);
    expect(unknown.html().querySelector('#e-products')?.text).toContain('no-such-thing');
    expect(unknown.html().querySelector('#f-products')?.text).toBe(`${sku}\nno-such-thing`);
    expect((await staff.submitForm(unknown, 'form.section-form', { products: sku })).status).toBe(303);

    let shop = (await new TestAgent(t.app).get('/')).html();
    expect(shop.querySelector('.home-section.prose strong')?.text).toBe('world');
    expect(shop.querySelectorAll('.home-section h2').map((h) => h.text)).toEqual(['Picks']);
    expect(shop.querySelector('.home-section .grid')?.text).toContain('Copper kettle');

    // The stored reference shows as the product's slug; move it up, edit the text, then remove it.
    const edit = await staff.get('/admin/home/1');
    expect(edit.html().querySelector('#f-products')?.text).toBe(product.slug);
    const list = await staff.get('/admin/home');
    expect((await staff.submitForm(list, 'form.home-order-form', { op: 'up:1' })).status).toBe(303);
    expect((await home())?.sections.map((s) => s.kind)).toEqual(['featuredProducts', 'richText']);
    const text = await staff.get('/admin/home/1');
    expect((await staff.submitForm(text, 'form.section-form', { markdown_en: 'Changed *text*' })).status).toBe(303);
    shop = (await new TestAgent(t.app).get('/')).html();
    expect(shop.querySelector('.home-section.prose em')?.text).toBe('text');
    expect((await staff.submitForm(await staff.get('/admin/home'), 'form.home-order-form', { op: 'remove:0' })).status).toBe(303);
    expect((await home())?.sections.map((s) => s.kind)).toEqual(['richText']);
    expect(await t.db.collection('audit_log').countDocuments({ action: 'home.update' })).toBe(5);
  });

  it('saves a hero with a link and an uploaded image; refuses javascript: links, a missing CSRF token and a stale version', async () => {
    const form = await staff.get('/admin/home/new?kind=hero');
    const bad = await staff.submitForm(form, 'form.section-form', { heading_en: '', linkUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'))).toEqual(['#f-heading_en', '#f-linkLabel_en', '#f-linkUrl']);
    const created = await staff.submitForm(bad, 'form.section-form', { heading_en: 'Summer sale', text_en: 'Up to 30 % off', linkUrl: '/c/sale', linkLabel_en: 'Shop now' });
    expect(created.status).toBe(303);
    const index = Number(created.location?.split('/').pop());
    const editor = await staff.follow(created);

    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#2a6' } }).png().toBuffer();
    const body = (token?: string, version?: string) => {
      const fd = new FormData();
      if (token) fd.append('_csrf', token);
      fd.append('version', version ?? editor.html().querySelector('form.hero-image-form input[name=version]')?.getAttribute('value') ?? '');
      fd.append('alt', 'A green banner');
      fd.append('image', new Blob([png], { type: 'image/png' }), 'banner.png');
      return fd;
    };
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const url = `/admin/home/${index}/image`;
    expect((await t.app.inject({ method: 'POST', url, payload: body(), headers: { cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url, payload: body(csrfOf(editor), '1'), headers: { cookie } })).headers.location).toBe(`/admin/home/${index}`);
    expect((await home())?.sections[index]).not.toHaveProperty('imageId');
    const ok = await t.app.inject({ method: 'POST', url, payload: body(csrfOf(editor)), headers: { cookie } });
    expect(ok.statusCode).toBe(303);
    const hero = (await home())?.sections[index];
    expect(hero?.kind === 'hero' && hero.imageId).toBeTruthy();

    const shop = (await new TestAgent(t.app).get('/')).html();
    const section = shop.querySelector('.store-hero');
    expect(section?.querySelector('h2')?.text).toBe('Summer sale');
    expect(section?.querySelector('a.button')?.getAttribute('href')).toBe('/c/sale');
    expect(section?.querySelector('img')?.getAttribute('alt')).toBe('A green banner');
    const again = await staff.get(`/admin/home/${index}`);
    expect(again.html().querySelector('img.hero-thumb')?.getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{24}\//);

    // An image over the limit: 413, the limit named, the hero and its image unchanged.
    const before = await home();
    const huge = await staff.submitMultipart(again, 'form.hero-image-form', {}, { image: { name: 'huge.png', type: 'image/png', data: Buffer.alloc(MAX_IMAGE_BYTES + 1, 1) } });
    expect(huge.status).toBe(413);
    expect(huge.html().querySelectorAll('main p').map((p) => p.text.trim())).toContain('The file is larger than 10 MB, the most this upload takes.');
    expect(await home()).toEqual(before);
  });

  it('refuses home section changes without a CSRF token or from other roles (nothing changes)', async () => {
    const before = await home();
    const version = String(before?.version ?? 0);
    expect((await staff.post('/admin/home/new', { kind: 'richText', markdown_en: 'Sneaky', version })).status).toBe(403);
    expect((await staff.post('/admin/home/order', { op: 'remove:0', version })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    const token = csrfOf(await customer.get('/account'));
    expect((await customer.post('/admin/home/new', { _csrf: token, kind: 'richText', markdown_en: 'Sneaky', version })).status).toBe(403);
    expect((await customer.post('/admin/home/order', { _csrf: token, op: 'remove:0', version })).status).toBe(403);
    const visitor = await new TestAgent(t.app).get('/admin/home/new?kind=hero');
    expect(visitor.location).toMatch(/^\/login/);
    expect((await home())?.version).toBe(before?.version);
  });

  it('shows the differences instead of overwriting a section saved meanwhile (409)', async () => {
    const form = await staff.get('/admin/home/new?kind=featuredCategories');
    const cat = await t.services.catalog.createCategory({ slug: `tea-${suffix()}`, name: { en: 'Tea' } });
    const fresh = await staff.get('/admin/home/new?kind=featuredCategories');
    expect((await staff.submitForm(fresh, 'form.section-form', { heading_en: 'Ours', categoryIds: [cat._id.toHexString()] })).status).toBe(303);
    const stale = await staff.submitForm(form, 'form.section-form', { heading_en: 'Mine', categoryIds: [cat._id.toHexString()] });
    expect(stale.status).toBe(409);
    expect(stale.html().querySelector('.conflict')).not.toBeNull();
    expect((await home())?.sections.filter((s) => s.kind === 'featuredCategories').map((s) => (s.kind === 'featuredCategories' ? s.heading.en : ''))).toEqual(['Ours']);
    const noCat = await staff.submitForm(await staff.get('/admin/home/new?kind=featuredCategories'), 'form.section-form', { heading_en: 'None' });
    expect(noCat.status).toBe(422);
  });
});
