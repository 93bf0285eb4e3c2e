import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMegabytes } from '../../src/lib/format.js';
import { MAX_IMPORT_BYTES } from '../../src/modules/admin-catalog/csv.js';
import { MAX_DIGITAL_BYTES } from '../../src/modules/admin-catalog/upload-routes.js';
import { MAX_IMAGE_BYTES } from '../../src/modules/media/image-processing.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** The upload fields' labels name the limits the upload routes enforce, in the page's language. */
describe('admin upload labels', () => {
  let t: TestApp;
  let staff: TestAgent;
  let productId: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
    const tag = new ObjectId().toHexString().slice(-6);
    const product = await t.services.catalog.createProduct({
      slug: `labelled-${tag}`, title: { en: 'Labelled' }, price: { amount: 100, currency: 'EUR' },
      variants: [{ sku: `LBL-${tag}`, options: {}, stock: 1, weight: 1 }],
    });
    productId = product._id.toHexString();
  });
  afterAll(async () => {
    staff.cookies.set('locale', 'en');
    await t?.close();
  });

  it('the limits are the ones the labels used to hard-code', () => {
    expect([MAX_IMAGE_BYTES, MAX_DIGITAL_BYTES, MAX_IMPORT_BYTES].map((b) => formatMegabytes(b, 'en'))).toEqual(['10 MB', '50 MB', '4 MB']);
  });

  it.each([
    ['en', 'Image (JPEG, PNG or WebP, up to 10 MB)', 'File (up to 50 MB)'],
    ['pt-BR', 'Imagem (JPEG, PNG ou WebP, até 10 MB)', 'Arquivo (até 50 MB)'],
    ['es', 'Imagen (JPEG, PNG o WebP, hasta 10 MB)', 'Archivo (hasta 50 MB)'],
  ])('the product editor names the image and file limits (%s)', async (locale, image, file) => {
    staff.cookies.set('locale', locale);
    const page = await staff.get(`/admin/products/${productId}`);
    expect(page.status).toBe(200);
    expect(page.html().querySelector('html')?.getAttribute('lang')).toBe(locale);
    expect(page.html().querySelector('label[for=u-image]')?.text.trim()).toBe(image);
    expect(page.html().querySelector('label[for=u-file]')?.text.trim()).toBe(file);
  });

  it.each([
    ['en', 'CSV file (up to 4 MB)'],
    ['pt-BR', 'Arquivo CSV (até 4 MB)'],
    ['es', 'Archivo CSV (hasta 4 MB)'],
  ])('the import page names the CSV limit (%s), also when shown again with an error', async (locale, label) => {
    staff.cookies.set('locale', locale);
    const page = await staff.get('/admin/products/import');
    expect(page.status).toBe(200);
    expect(page.html().querySelector('label[for=f-file]')?.text.trim()).toBe(label);

    // Sent without a file: the form again (422), the label unchanged.
    const fd = new FormData();
    fd.append('_csrf', csrfOf(page));
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const again = await t.app.inject({ method: 'POST', url: '/admin/products/import', payload: fd, headers: { cookie } });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain(`>${label}</label>`);
  });
});
