import { ObjectId } from 'mongodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/modules/audit/types.js';
import type { CategoryDoc, ProductDoc } from '../../src/modules/catalog/types.js';
import { currentCode } from '../../src/modules/staff-security/totp.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createUser, signIn, type TestUser } from './admin-fixtures.js';

/**
 * Every back-office change below, made through its real form (with the page's CSRF token), writes
 * exactly one audit entry with who (actor), where from (IP), what (action, entity) and before/after.
 * The shop trusts its proxy here, so the IP is the one the request came from, not a constant.
 */

const IP = '203.0.113.7';
const text = (page: Page, selector: string) => (page.html().querySelector(selector)?.text ?? '').replace(/\s+/g, ' ').trim();

interface Expected {
  action: string;
  entity: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Where the change came from, when not the staff agent's own address. */
  ip?: string;
}

interface Case {
  name: string;
  /** Makes the test data, then returns the change to make through the forms and what it must record. */
  prepare(): Promise<{ change: () => Promise<void>; expected: () => Promise<Expected> }>;
}

describe('audit log: back-office changes record actor, IP, action, entity and before/after', () => {
  let t: TestApp;
  let staff: TestAgent;
  let user: TestUser;
  let n = 0;
  const tag = () => `${++n}-${new ObjectId().toHexString().slice(-6)}`;
  const products = () => t.db.collection<ProductDoc>('products');

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    user = await createUser(t, 'staff');
    staff = new TestAgent(t.app, { 'x-forwarded-for': IP });
    await signIn(staff, user);
  });
  afterAll(async () => t?.close());

  async function product(over: { status?: 'draft' | 'published'; stock?: number; title?: string } = {}): Promise<ProductDoc> {
    const k = tag();
    return t.services.catalog.createProduct({
      slug: `audited-${k}`, title: { en: over.title ?? `Audited ${k}` }, price: { amount: 3000, currency: 'EUR' }, status: over.status ?? 'published',
      variants: [{ sku: `AUD-${k}`, options: {}, stock: over.stock ?? 10, weight: 100 }],
    });
  }
  const editorOf = (p: ProductDoc) => staff.get(`/admin/products/${p._id.toHexString()}`);
  const pid = (p: ProductDoc) => ({ type: 'product', id: p._id.toHexString() });

  /** The bulk form of the product list, filtered to this one product (its title is unique). */
  async function bulk(p: ProductDoc, action: 'publish' | 'unpublish' | 'delete'): Promise<void> {
    const list = await staff.get(`/admin/products?q=${encodeURIComponent(p.title.en)}`);
    const res = await staff.submitForm(list, 'form.bulk-form', { action, ids: [p._id.toHexString()] });
    expect(res.status).toBe(303);
  }

  async function waitForImport(location: string): Promise<void> {
    const id = new ObjectId(location.split('/').pop());
    for (let i = 0; i < 100; i++) {
      if ((await t.services.adminCatalog.imports.progress(id))?.status === 'done') return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the import did not finish');
  }

  const cases: Case[] = [
    {
      name: 'bulk publish',
      async prepare() {
        const p = await product({ status: 'draft' });
        return { change: () => bulk(p, 'publish'), expected: async () => ({ action: 'product.publish', entity: pid(p), before: { status: 'draft' }, after: { status: 'published' } }) };
      },
    },
    {
      name: 'bulk unpublish',
      async prepare() {
        const p = await product({ status: 'published' });
        return { change: () => bulk(p, 'unpublish'), expected: async () => ({ action: 'product.unpublish', entity: pid(p), before: { status: 'published' }, after: { status: 'draft' } }) };
      },
    },
    {
      name: 'bulk delete',
      async prepare() {
        const p = await product();
        return {
          change: async () => {
            await bulk(p, 'delete');
            expect(await products().findOne({ _id: p._id })).toBeNull();
          },
          expected: async () => ({ action: 'product.delete', entity: pid(p), before: { deleted: false }, after: null }),
        };
      },
    },
    {
      name: 'CSV import apply (the apply request is the one audited)',
      async prepare() {
        const p = await product();
        const applyIp = '198.51.100.23';
        return {
          change: async () => {
            const page = await staff.get('/admin/products/import');
            const csv = `sku,price\n${p.variants[0]?.sku},32.50\n`;
            const planned = await staff.submitMultipart(page, 'form.import-form', {}, { file: { name: 'prices.csv', type: 'text/csv', data: csv } });
            expect(planned.status).toBe(303);
            const job = await staff.follow(planned);
            const applied = await staff.submitForm(job, 'form.apply-form', {}, { headers: { 'x-forwarded-for': applyIp } });
            expect(applied.status).toBe(303);
            await waitForImport(planned.location ?? '');
            expect((await products().findOne({ _id: p._id }))?.price.amount).toBe(3250);
          },
          expected: async () => ({ action: 'product.update', entity: pid(p), before: { price: { amount: 3000, currency: 'EUR' } }, after: { price: { amount: 3250, currency: 'EUR' } }, ip: applyIp }),
        };
      },
    },
    {
      name: 'product image added',
      async prepare() {
        const p = await product();
        const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6' } }).png().toBuffer();
        return {
          change: async () => {
            const res = await staff.submitMultipart(await editorOf(p), 'form.image-upload-form', { alt_en: 'Green' }, { image: { name: 'green.png', type: 'image/png', data: png } });
            expect(res.status).toBe(303);
          },
          expected: async () => {
            const mediaId = (await products().findOne({ _id: p._id }))?.images[0]?.mediaId.toHexString();
            return { action: 'product.image.add', entity: pid(p), before: null, after: { mediaId } };
          },
        };
      },
    },
    {
      name: 'stock adjustment from the editor',
      async prepare() {
        const p = await product({ stock: 10 });
        const sku = p.variants[0]?.sku;
        return {
          change: async () => {
            expect((await staff.submitForm(await editorOf(p), 'form.product-form', { v0_stock: '13' })).status).toBe(303);
            expect((await products().findOne({ _id: p._id }))?.variants[0]?.stock).toBe(13);
          },
          expected: async () => ({ action: 'product.stock', entity: pid(p), before: { sku, stock: 10 }, after: { sku, delta: 3 } }),
        };
      },
    },
    {
      name: 'digital file set',
      async prepare() {
        const p = await product();
        return {
          change: async () => {
            const file = { name: 'manual.pdf', type: 'application/pdf', data: '%PDF-1.4 manual' };
            expect((await staff.submitMultipart(await editorOf(p), 'form.digital-upload-form', { maxDownloads: '4' }, { file })).status).toBe(303);
          },
          expected: async () => ({ action: 'product.digital', entity: pid(p), before: null, after: { fileName: 'manual.pdf', maxDownloads: 4 } }),
        };
      },
    },
    {
      name: 'digital file replaced (before is the previous file)',
      async prepare() {
        const p = await product();
        const first = { name: 'v1.zip', type: 'application/zip', data: 'first version' };
        expect((await staff.submitMultipart(await editorOf(p), 'form.digital-upload-form', { maxDownloads: '2' }, { file: first })).status).toBe(303);
        return {
          change: async () => {
            const second = { name: 'v2.zip', type: 'application/zip', data: 'second version' };
            expect((await staff.submitMultipart(await editorOf(p), 'form.digital-upload-form', { maxDownloads: '6' }, { file: second })).status).toBe(303);
          },
          expected: async () => ({ action: 'product.digital', entity: pid(p), before: { fileName: 'v1.zip', maxDownloads: 2 }, after: { fileName: 'v2.zip', maxDownloads: 6 } }),
        };
      },
    },
    {
      name: 'product CSV export (a GET link in sudo mode: a read, nothing before/after)',
      async prepare() {
        await product();
        return {
          change: async () => {
            const list = await staff.get('/admin/products');
            const href = list.html().querySelector('a[href$="export.csv"]')?.getAttribute('href') ?? '';
            const csv = await staff.get(href);
            expect(csv.status).toBe(200);
            expect(csv.headers['content-type']).toMatch(/^text\/csv/);
          },
          expected: async () => ({ action: 'product.export', entity: { type: 'product', id: '*' }, before: null, after: null }),
        };
      },
    },
    {
      name: 'category update',
      async prepare() {
        const k = tag();
        const c: CategoryDoc = await t.services.catalog.createCategory({ slug: `shelves-${k}`, name: { en: 'Shelves' }, status: 'published' });
        return {
          change: async () => {
            const form = await staff.get(`/admin/categories/${c._id.toHexString()}`);
            expect((await staff.submitForm(form, 'form.category-form', { name_en: 'Wall shelves', sortOrder: '4' })).status).toBe(303);
          },
          expected: async () => ({ action: 'category.update', entity: { type: 'category', id: c._id.toHexString() }, before: { name: { en: 'Shelves' }, sortOrder: 0 }, after: { name: { en: 'Wall shelves' }, sortOrder: 4 } }),
        };
      },
    },
    {
      name: 'recovery codes regenerated',
      async prepare() {
        // 2FA on through the real pages, then one recovery code used: nine are left.
        await staff.submitForm(await staff.get('/admin/security'), 'form.start-form');
        const setup = await staff.get('/admin/security');
        const secret = text(setup, 'code.secret').replace(/\s/g, '');
        const confirmed = await staff.submitForm(setup, 'form.confirm-code-form', { code: currentCode(secret, new Date()) });
        const codes = (await staff.follow(confirmed)).html().querySelectorAll('.recovery-codes code').map((c) => c.text);
        const other = new TestAgent(t.app);
        await signIn(other, user);
        expect((await other.submitForm(await other.get('/login/two-factor'), 'form.two-factor-form', { code: codes[0] ?? '' })).status).toBe(303);
        return {
          change: async () => {
            const security = await staff.get('/admin/security');
            expect((await staff.submitForm(security, 'form.recovery-form', { password: user.password })).status).toBe(303);
          },
          expected: async () => ({ action: 'security.recoveryCodes.regenerate', entity: { type: 'user', id: user.id }, before: { recoveryCodesLeft: 9 }, after: { recoveryCodesLeft: 10 } }),
        };
      },
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { change, expected } = await c.prepare();
    const log = t.db.collection<AuditEntry>('audit_log');
    const mark = await log.find({}, { projection: { _id: 1 } }).toArray();
    await change();
    const want = await expected();
    const written = await log.find({ _id: { $nin: mark.map((e) => e._id) }, 'entity.id': want.entity.id }).toArray();
    expect(written.map((e) => e.action)).toEqual([want.action]);
    const [entry] = written;
    expect(entry?.actor).toEqual({ id: user.id, email: user.email });
    expect(entry?.ip).toBe(want.ip ?? IP);
    expect(entry?.entity).toEqual(want.entity);
    expect(entry?.before).toEqual(want.before);
    expect(entry?.after).toEqual(want.after);
    expect(entry?.at).toBeInstanceOf(Date);
  });

  it('refuses each of these forms without its CSRF token (403) and writes no entry', async () => {
    const p = await product({ status: 'draft' });
    const c = await t.services.catalog.createCategory({ slug: `nocsrf-${tag()}`, name: { en: 'No token' } });
    const count = () => t.db.collection('audit_log').countDocuments({});
    const before = await count();
    const editor = await editorOf(p);
    const forged = [
      await staff.post('/admin/products/bulk', { action: 'publish', ids: p._id.toHexString() }),
      await staff.submitForm(editor, 'form.product-form', { _csrf: [], v0_stock: '99' }),
      await staff.submitMultipart(editor, 'form.digital-upload-form', { _csrf: [] }, { file: { name: 'x.pdf', type: 'application/pdf', data: 'x' } }),
      await staff.submitMultipart(editor, 'form.image-upload-form', { _csrf: [] }, { file: { name: 'x.png', type: 'image/png', data: 'x' } }),
      await staff.submitForm(await staff.get(`/admin/categories/${c._id.toHexString()}`), 'form.category-form', { _csrf: [], name_en: 'Forged' }),
      await staff.post('/admin/security/recovery-codes', { password: user.password }),
    ];
    expect(forged.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(await count()).toBe(before);
    expect((await products().findOne({ _id: p._id }))?.status).toBe('draft');
  });
});
