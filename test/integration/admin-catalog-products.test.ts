import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockStore } from '../../src/modules/catalog/stock.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

let n = 0;
async function product(t: TestApp, over: { stock?: number; status?: 'draft' | 'published'; title?: string } = {}): Promise<ProductDoc> {
  const i = ++n;
  const category = await t.services.catalog.createCategory({ slug: `cat-${i}-${new ObjectId().toHexString().slice(-6)}`, name: { en: `Cat ${i}` } });
  return t.services.catalog.createProduct({
    slug: `thing-${i}-${new ObjectId().toHexString().slice(-6)}`, title: { en: over.title ?? `Thing ${i}`, es: `Cosa ${i}` }, description: { en: 'Plain.' },
    price: { amount: 1990, currency: 'EUR' }, categoryIds: [category._id], status: over.status ?? 'published',
    options: [{ code: 'size', name: { en: 'Size' }, values: [{ code: 's', label: { en: 'S' } }, { code: 'm', label: { en: 'M' } }] }],
    variants: [
      { sku: `T${i}-S`, options: { size: 's' }, stock: over.stock ?? 10, weight: 100 },
      { sku: `T${i}-M`, options: { size: 'm' }, stock: 4, weight: 100 },
    ],
  });
}

const stored = (t: TestApp, id: ObjectId) => t.db.collection<ProductDoc & { stockLedger?: unknown[] }>('products').findOne({ _id: id });

describe('admin products: editor', () => {
  let t: TestApp;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('saves a valid edit (decimal price → minor units, translations), audits it and the storefront shows it at once', async () => {
    const p = await product(t);
    const before = await new TestAgent(t.app).get(`/p/${p.slug}`);
    expect(before.status).toBe(200);
    const form = await staff.get(`/admin/products/${p._id.toHexString()}`);
    expect(form.status).toBe(200);
    expect(form.html().querySelector('a.view-on-site')?.getAttribute('href')).toBe(`/p/${p.slug}`);
    const saved = await staff.submitForm(form, 'form.product-form', { price: '24,50', 'title_pt-BR': 'Coisa nova', title_en: 'New thing' });
    expect(saved.status).toBe(303);
    const doc = await stored(t, p._id);
    expect(doc?.price).toEqual({ amount: 2450, currency: 'EUR' });
    expect(doc?.title).toEqual({ en: 'New thing', 'pt-BR': 'Coisa nova', es: `Cosa ${n}` });
    expect(doc?.minPrice).toBe(2450);
    const after = await new TestAgent(t.app).get(`/p/${p.slug}`);
    expect(after.html().querySelector('h1')?.text.trim()).toBe('New thing');
    const audit = await t.db.collection('audit_log').findOne({ action: 'product.update', 'entity.id': p._id.toHexString() });
    expect(audit?.before).toMatchObject({ price: { amount: 1990 } });
    expect(audit?.after).toMatchObject({ price: { amount: 2450 } });
  });

  it('re-renders invalid input with 422, a summary linking to each field and the input kept; nothing saved', async () => {
    const p = await product(t);
    const form = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const page = await staff.submitForm(form, 'form.product-form', { price: 'abc', slug: 'Bad Slug', v0_sku: '' , v0_stock: '-2' });
    expect(page.status).toBe(422);
    const html = page.html();
    const links = html.querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining(['#f-slug', '#f-price', '#f-v0_stock']));
    expect(html.querySelector('#f-price')?.getAttribute('aria-describedby')).toBe('e-price');
    expect(html.querySelector('#e-price')?.text).toBe('Enter an amount such as 19.90.');
    expect(html.querySelector('#f-slug')?.getAttribute('value')).toBe('Bad Slug');
    expect((await stored(t, p._id))?.slug).toBe(p.slug);
  });

  it('refuses a POST without the CSRF token (403) and changes nothing', async () => {
    const p = await product(t);
    const res = await staff.post(`/admin/products/${p._id.toHexString()}`, { slug: p.slug, title_en: 'Hacked', price: '1', status: 'published', rows: '1', v0_sku: 'X1' });
    expect(res.status).toBe(403);
    expect((await stored(t, p._id))?.title.en).toBe(p.title.en);
  });

  it('sends visitors to the login page and refuses customers (403)', async () => {
    const p = await product(t);
    const visitor = new TestAgent(t.app);
    for (const url of ['/admin/products', `/admin/products/${p._id.toHexString()}`, '/admin/products/new', '/admin/pages']) {
      const res = await visitor.get(url);
      expect(res.status).toBe(303);
      expect(res.location).toMatch(/^\/login/);
    }
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.get('/admin/products')).status).toBe(403);
    const form = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const res = await customer.post(`/admin/products/${p._id.toHexString()}`, { _csrf: csrfOf(form), title_en: 'Nope' });
    expect(res.status).toBe(403);
    expect((await stored(t, p._id))?.title.en).toBe(p.title.en);
  });

  it('creates a product with variants from the blank rows', async () => {
    const form = await staff.get('/admin/products/new');
    const more = await staff.submitForm(form, 'form.product-form', { action: 'addRows' });
    expect(more.status).toBe(200);
    expect(more.html().querySelectorAll('input[name$="_sku"]').length).toBe(6);
    const slug = `new-${new ObjectId().toHexString()}`;
    const created = await staff.submitForm(more, 'form.product-form', {
      action: 'save', slug, title_en: 'Fresh', price: '10', status: 'published', opt0_code: 'size', opt0_values: 's, m', opt0_labels_en: 'Small, Medium',
      v0_sku: `${slug}-S`, v0_o0: 's', v0_stock: '5', v1_sku: `${slug}-M`, v1_o0: 'm', v1_stock: '2', v1_price: '12.00',
    });
    expect(created.status).toBe(303);
    const doc = await t.db.collection<ProductDoc>('products').findOne({ slug });
    expect(doc?.variants.map((v) => [v.sku, v.stock, v.price?.amount])).toEqual([[`${slug}-S`, 5, undefined], [`${slug}-M`, 2, 1200]]);
    expect(doc?.options[0]?.values.map((v) => v.label.en)).toEqual(['Small', 'Medium']);
  });

  it('shows what changed instead of overwriting a newer version (409), then saves on a deliberate retry', async () => {
    const p = await product(t);
    const mine = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const theirs = await staff.get(`/admin/products/${p._id.toHexString()}`);
    expect((await staff.submitForm(theirs, 'form.product-form', { title_en: 'Their title' })).status).toBe(303);
    const conflict = await staff.submitForm(mine, 'form.product-form', { title_en: 'My title', price: '30' });
    expect(conflict.status).toBe(409);
    const rows = conflict.html().querySelectorAll('.conflict-diff tbody tr').map((r) => [r.querySelector('code')?.text, r.querySelector('.mine')?.text, r.querySelector('.current')?.text]);
    expect(rows).toEqual(expect.arrayContaining([['title_en', 'My title', 'Their title'], ['price', '30', '19.90']]));
    expect((await stored(t, p._id))?.title.en).toBe('Their title');
    expect(conflict.html().querySelector('#f-title_en')?.getAttribute('value')).toBe('My title');
    const retry = await staff.submitForm(conflict, 'form.product-form');
    expect(retry.status).toBe(303);
    expect((await stored(t, p._id))?.title.en).toBe('My title');
  });

  it('never writes stock back: an order racing the edit keeps its reservation; a changed figure is an adjustment', async () => {
    const p = await product(t, { stock: 10 });
    const form = await staff.get(`/admin/products/${p._id.toHexString()}`);
    // An order reserves 3 units after the editor loaded the form.
    const stock = createStockStore(t.db);
    const variantId = p.variants[0]?._id as ObjectId;
    expect(await stock.reserve({ key: `reserve:test:${variantId.toHexString()}`, productId: p._id, variantId, qty: 3 })).toBe(true);
    // The editor changes the title and raises the first variant's stock from 10 to 15 (+5).
    const saved = await staff.submitForm(form, 'form.product-form', { title_en: 'Edited during an order', v0_stock: '15' });
    expect(saved.status).toBe(303);
    const doc = await stored(t, p._id);
    expect(doc?.title.en).toBe('Edited during an order');
    expect(doc?.variants[0]?.stock).toBe(12); // 10 − 3 (order) + 5 (adjustment)
    expect(doc?.variants[1]?.stock).toBe(4);
    expect(doc?.stockLedger).toHaveLength(1);
    // The reservation can still be released exactly once.
    expect(await stock.release(`reserve:test:${variantId.toHexString()}`, p._id)).toBe(true);
    expect((await stored(t, p._id))?.variants[0]?.stock).toBe(15);
  });

  it('lists, searches and sorts products, and publishes/unpublishes/deletes in bulk', async () => {
    const a = await product(t, { title: 'Zebra lamp', status: 'draft' });
    const b = await product(t, { title: 'Zebra chair', status: 'draft' });
    const list = await staff.get('/admin/products?q=zebra&sort=title&dir=asc');
    expect(list.status).toBe(200);
    const titles = list.html().querySelectorAll('.products-table tbody tr td:nth-child(2) a').map((x) => x.text);
    expect(titles).toEqual(['Zebra chair', 'Zebra lamp']);
    const published = await staff.submitForm(list, 'form.bulk-form', { action: 'publish', ids: [a._id.toHexString(), b._id.toHexString()] });
    expect(published.status).toBe(303);
    expect((await stored(t, a._id))?.status).toBe('published');
    expect((await new TestAgent(t.app).get(`/p/${b.slug}`)).status).toBe(200);
    const again = await staff.get('/admin/products?q=zebra');
    await staff.submitForm(again, 'form.bulk-form', { action: 'delete', ids: [a._id.toHexString()] });
    expect(await stored(t, a._id)).toBeNull();
    const missingCsrf = await staff.post('/admin/products/bulk', { action: 'unpublish', ids: b._id.toHexString() });
    expect(missingCsrf.status).toBe(403);
    expect((await stored(t, b._id))?.status).toBe('published');
  });

  it('uploads an image (multipart, CSRF checked after parsing) and keeps it on a later save', async () => {
    const p = await product(t);
    const page = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#c33' } }).png().toBuffer();
    const body = (token?: string) => {
      const fd = new FormData();
      if (token) fd.append('_csrf', token);
      fd.append('alt_en', 'A red square');
      fd.append('image', new Blob([png], { type: 'image/png' }), 'red.png');
      return fd;
    };
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const refused = await t.app.inject({ method: 'POST', url: `/admin/products/${p._id.toHexString()}/images`, payload: body(), headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: `/admin/products/${p._id.toHexString()}/images`, payload: body(csrfOf(page)), headers: { cookie } });
    expect(res.statusCode).toBe(303);
    const doc = await stored(t, p._id);
    expect(doc?.images).toHaveLength(1);
    expect(doc?.images[0]).toMatchObject({ alt: { en: 'A red square' }, width: 320, height: 200, format: 'png' });
    const edit = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const saved = await staff.submitForm(edit, 'form.product-form', { 'img0_alt_es': 'Un cuadrado rojo' });
    expect(saved.status).toBe(303);
    expect((await stored(t, p._id))?.images[0]?.alt).toEqual({ en: 'A red square', es: 'Un cuadrado rojo' });
  });
});
