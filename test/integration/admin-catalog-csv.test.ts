import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'node-html-parser';
import { MAX_IMPORT_BYTES } from '../../src/modules/admin-catalog/csv.js';
import { PRODUCT_IMPORTS } from '../../src/modules/admin-catalog/import-repository.js';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

function cookieOf(agent: TestAgent): string {
  return [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function upload(t: TestApp, agent: TestAgent, csv: string, token: string) {
  const fd = new FormData();
  fd.append('_csrf', token);
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
  return t.app.inject({ method: 'POST', url: '/admin/products/import', payload: fd, headers: { cookie: cookieOf(agent) } });
}

describe('admin products: CSV import and export', () => {
  let t: TestApp;
  let staff: TestAgent;
  const tag = new ObjectId().toHexString().slice(-6);

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
    await t.services.catalog.createCategory({ slug: `lamps-${tag}`, name: { en: 'Lamps' } });
    await t.services.catalog.createProduct({
      slug: `desk-lamp-${tag}`, title: { en: 'Desk lamp' }, price: { amount: 3000, currency: 'EUR' },
      variants: [{ sku: `LAMP-${tag}`, options: {}, stock: 7, weight: 900 }],
    });
  });
  afterAll(async () => t?.close());

  it('dry run shows row by row what would happen and changes nothing; apply does it and shows progress', async () => {
    const page = await staff.get('/admin/products/import');
    const csv = [
      'sku,slug,title_en,price,stock,status,categories',
      `LAMP-${tag},,,32.50,9,,`,
      `NEW-${tag}-1,floor-lamp-${tag},Floor lamp,80,3,published,lamps-${tag}`,
      `NEW-${tag}-2,floor-lamp-${tag},,,4,,`,
      `bad sku,x,,1,,,`,
      `NEW-${tag}-3,other-${tag},Other,abc,,,`,
    ].join('\n');
    const planned = await upload(t, staff, csv, csrfOf(page));
    expect(planned.statusCode).toBe(303);
    const job = await staff.get(planned.headers.location as string);
    const rows = job.html().querySelectorAll('.import-rows tbody tr').map((r) => [r.querySelectorAll('td')[1]?.text, r.getAttribute('data-action')]);
    expect(rows).toEqual([[`LAMP-${tag}`, 'update'], [`NEW-${tag}-1`, 'create'], [`NEW-${tag}-2`, 'create'], ['bad sku', 'reject'], [`NEW-${tag}-3`, 'reject']]);
    // Nothing changed yet.
    const products = t.db.collection<ProductDoc>('products');
    expect((await products.findOne({ 'variants.sku': `LAMP-${tag}` }))?.price.amount).toBe(3000);
    expect(await products.findOne({ slug: `floor-lamp-${tag}` })).toBeNull();

    const applied = await staff.submitForm(job, 'form.apply-form');
    expect(applied.status).toBe(303);
    const jobId = new ObjectId((planned.headers.location as string).split('/').pop());
    for (let i = 0; i < 50; i++) {
      const doc = await t.services.adminCatalog.imports.progress(jobId);
      if (doc?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await staff.get(planned.headers.location as string);
    expect(done.html().querySelector('meta[http-equiv=refresh]')).toBeNull();
    expect(done.html().querySelector('.import-counts dd[data-action=create]')?.text).toBe('2');
    const lamp = await products.findOne({ 'variants.sku': `LAMP-${tag}` });
    expect(lamp?.price.amount).toBe(3250);
    expect(lamp?.variants[0]?.stock).toBe(9);
    const floor = await products.findOne({ slug: `floor-lamp-${tag}` });
    expect(floor?.variants.map((v) => [v.sku, v.stock])).toEqual([[`NEW-${tag}-1`, 3], [`NEW-${tag}-2`, 4]]);
    expect(floor?.status).toBe('published');
    expect(floor?.sortTitles?.en).toBe('floor lamp'); // the admin list's sort key, set by the import's writes too
    // A second apply does nothing.
    const again = await staff.post(`/admin/products/import/${jobId.toHexString()}/apply`, { _csrf: csrfOf(done) });
    expect(again.status).toBe(303);
    expect(await products.countDocuments({ slug: `floor-lamp-${tag}` })).toBe(1);
  });

  it('rejects an upload without the CSRF token and a file that is not a product CSV (422)', async () => {
    const page = await staff.get('/admin/products/import');
    const fd = new FormData();
    fd.append('file', new Blob(['sku\nX'], { type: 'text/csv' }), 'p.csv');
    const noToken = await t.app.inject({ method: 'POST', url: '/admin/products/import', payload: fd, headers: { cookie: cookieOf(staff) } });
    expect(noToken.statusCode).toBe(403);
    const bad = await upload(t, staff, 'name,colour\nx,y', csrfOf(page));
    expect(bad.statusCode).toBe(422);
  });

  it(`answers a file over the limit (${MAX_IMPORT_BYTES / 1024 / 1024} MiB) with 413 and the form again, the limit named at the file field; nothing is planned`, async () => {
    const page = await staff.get('/admin/products/import');
    const jobs = await t.db.collection(PRODUCT_IMPORTS).countDocuments({});
    const csv = `sku,slug\nBIG-${tag},big-${tag}\n`.padEnd(MAX_IMPORT_BYTES + 1, 'x');
    staff.cookies.set('locale', 'pt-BR');
    const res = await upload(t, staff, csv, csrfOf(page));
    staff.cookies.set('locale', 'en');
    expect(res.statusCode).toBe(413);
    const html = parse(res.body);
    expect(html.querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
    expect(html.querySelector('form.import-form')).not.toBeNull();
    expect(html.querySelector('#e-file')?.text.trim()).toBe('O arquivo tem mais de 4 MB, o máximo que este envio aceita.');
    expect(html.querySelector('#f-file')?.getAttribute('aria-invalid')).toBe('true');
    expect(await t.db.collection(PRODUCT_IMPORTS).countDocuments({})).toBe(jobs);
  });

  it('exports in sudo mode only, as CSV that the import reads back as unchanged rows', async () => {
    const { agent: fresh } = await signedInAgent(t, 'staff');
    // Sign-in starts sudo mode: the export is allowed now.
    const csv = await fresh.get('/admin/products/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^sku,slug,status,title_en/);
    expect(lines.some((l) => l.startsWith(`LAMP-${tag},desk-lamp-${tag},`))).toBe(true);
    const page = await fresh.get('/admin/products/import');
    const planned = await upload(t, fresh, csv.body, csrfOf(page));
    const job = await fresh.get(planned.headers.location as string);
    const actions = new Set(job.html().querySelectorAll('.import-rows tbody tr').map((r) => r.getAttribute('data-action')));
    expect([...actions]).toEqual(['unchanged']);
    // A customer cannot export.
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.get('/admin/products/export.csv')).status).toBe(403);
  });
});
