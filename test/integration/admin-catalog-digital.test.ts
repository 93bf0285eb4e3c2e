import { buffer } from 'node:stream/consumers';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DIGITAL_BYTES } from '../../src/modules/admin-catalog/upload-routes.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { DOWNLOADS_BUCKET } from '../../src/modules/media/repository.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent, type TestUser } from './admin-fixtures.js';

/** The product editor's digital file upload (POST /admin/products/:id/digital, multipart, CSRF checked after parsing). */

let n = 0;
async function product(t: TestApp): Promise<ProductDoc> {
  const i = ++n;
  const tag = new ObjectId().toHexString().slice(-6);
  return t.services.catalog.createProduct({
    slug: `ebook-${i}-${tag}`, title: { en: `E-book ${i}` }, description: { en: 'Plain.' },
    price: { amount: 900, currency: 'EUR' }, status: 'published',
    variants: [{ sku: `EB${i}-${tag}`, options: {}, stock: 100, weight: 0 }],
  });
}

const stored = (t: TestApp, id: ObjectId) => t.db.collection<ProductDoc>('products').findOne({ _id: id });
const downloadCount = (t: TestApp) => t.db.collection(`${DOWNLOADS_BUCKET}.files`).countDocuments({});
const auditCount = (t: TestApp, id: ObjectId) => t.db.collection('audit_log').countDocuments({ action: 'product.digital', 'entity.id': id.toHexString() });
const pdf = (text: string) => ({ name: 'guide.pdf', type: 'application/pdf', data: Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`) });

describe('admin products: digital file upload', () => {
  let t: TestApp;
  let staff: TestAgent;
  let staffUser: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: staff, user: staffUser } = await signedInAgent(t, 'staff'));
  });
  afterAll(async () => t?.close());

  it('stores a valid file as the product’s digital file, audits it and shows it in the editor', async () => {
    const p = await product(t);
    const editUrl = `/admin/products/${p._id.toHexString()}`;
    const editor = await staff.get(editUrl);
    expect(editor.html().querySelector('#f-digital_max')).toBeNull(); // no digital file yet
    const file = pdf('the guide');
    const res = await staff.submitMultipart(editor, 'form.digital-upload-form', { maxDownloads: '3' }, { file });
    expect(res.status).toBe(303);
    expect(res.location).toBe(editUrl);

    const doc = await stored(t, p._id);
    expect(doc?.digital).toMatchObject({ fileName: 'guide.pdf', maxDownloads: 3 });
    const opened = await t.services.media.openDownload(doc?.digital?.fileId as ObjectId);
    if (!opened) throw new Error('the file was not stored');
    expect(opened).toMatchObject({ fileName: 'guide.pdf', contentType: 'application/pdf', length: file.data.length });
    expect((await buffer(opened.stream)).equals(file.data)).toBe(true);

    const entries = await t.db.collection('audit_log').find({ action: 'product.digital', 'entity.id': p._id.toHexString() }).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { id: staffUser.id, email: staffUser.email }, ip: '127.0.0.1', entity: { type: 'product' }, after: { fileName: 'guide.pdf', maxDownloads: 3 } });

    const after = await staff.follow(res);
    expect(after.html().querySelector('.flashes')?.text).toContain('Digital file stored.');
    expect(after.html().querySelector('#f-digital_max')?.getAttribute('value')).toBe('3');
    expect(after.html().querySelectorAll('fieldset p').some((el) => el.text.trim() === 'guide.pdf')).toBe(true);
  });

  it('refuses an upload without the CSRF token (403) and stores nothing', async () => {
    const p = await product(t);
    const editor = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const files = await downloadCount(t);
    const res = await staff.submitMultipart(editor, 'form.digital-upload-form', { _csrf: [] }, { file: pdf('forged') });
    expect(res.status).toBe(403);
    const wrongToken = await staff.submitMultipart(editor, 'form.digital-upload-form', { _csrf: 'not-a-token' }, { file: pdf('forged') });
    expect(wrongToken.status).toBe(403);
    expect((await stored(t, p._id))?.digital).toBeUndefined();
    expect(await downloadCount(t)).toBe(files);
    expect(await auditCount(t, p._id)).toBe(0);
  });

  it('refuses customers (403, even with their own valid token) and sends visitors to the login page', async () => {
    const p = await product(t);
    const editor = await staff.get(`/admin/products/${p._id.toHexString()}`);
    const files = await downloadCount(t);
    const { agent: customer } = await signedInAgent(t, 'customer');
    const ownToken = csrfOf(await customer.get('/account'));
    const res = await customer.submitMultipart(editor, 'form.digital-upload-form', { _csrf: ownToken }, { file: pdf('from a customer') });
    expect(res.status).toBe(403);
    const visitor = await new TestAgent(t.app).submitMultipart(editor, 'form.digital-upload-form', {}, { file: pdf('from a visitor') });
    expect(visitor.status).toBe(303);
    expect(visitor.location).toMatch(/^\/login/);
    expect((await stored(t, p._id))?.digital).toBeUndefined();
    expect(await downloadCount(t)).toBe(files);
    expect(await auditCount(t, p._id)).toBe(0);
  });

  it(`refuses a file over the limit (${MAX_DIGITAL_BYTES / 1024 / 1024} MiB) with 413 and a translated message naming it, and changes nothing`, async () => {
    const p = await product(t);
    const editor = await staff.get(`/admin/products/${p._id.toHexString()}`);
    // A first, valid file: the refused upload must not replace it.
    expect((await staff.submitMultipart(editor, 'form.digital-upload-form', { maxDownloads: '2' }, { file: pdf('kept') })).status).toBe(303);
    const before = await stored(t, p._id);
    const files = await downloadCount(t);

    const big = { name: 'huge.zip', type: 'application/zip', data: Buffer.alloc(MAX_DIGITAL_BYTES + 1, 7) };
    const expected = [
      { locale: 'en', title: 'File too large', message: 'The file is larger than 50 MB, the most this upload takes.' },
      { locale: 'es', title: 'Archivo demasiado grande', message: 'El archivo pesa más de 50 MB, el máximo que admite esta subida.' },
    ];
    for (const { locale, title, message } of expected) {
      staff.cookies.set('locale', locale); // the language switcher's choice
      const page: Page = await staff.submitMultipart(editor, 'form.digital-upload-form', { maxDownloads: '9' }, { file: big });
      expect(page.status).toBe(413);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const html = page.html();
      expect(html.querySelector('html')?.getAttribute('lang')).toBe(locale);
      expect(html.querySelector('h1')?.text.trim()).toBe(title);
      expect(html.querySelectorAll('main p').map((el) => el.text.trim())).toContain(message);
    }
    staff.cookies.set('locale', 'en');

    const after = await stored(t, p._id);
    expect(after?.digital).toEqual(before?.digital);
    expect(after?.version).toBe(before?.version);
    expect(await downloadCount(t)).toBe(files);
    expect(await auditCount(t, p._id)).toBe(1); // the first, valid upload only

    // A file of exactly the limit is accepted.
    const exact = { name: 'exact.bin', type: 'application/octet-stream', data: Buffer.alloc(MAX_DIGITAL_BYTES, 1) };
    expect((await staff.submitMultipart(editor, 'form.digital-upload-form', {}, { file: exact })).status).toBe(303);
    expect((await stored(t, p._id))?.digital).toMatchObject({ fileName: 'exact.bin', maxDownloads: 5 });
  });
});
