import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductDoc } from '../../src/modules/catalog/types.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent } from './admin-fixtures.js';

/** "Publish from" in the product editor: typed in the shop's time zone, honoured by the storefront. */

const DAY = 86_400_000;
// São Paulo has kept UTC−3 all year since 2019: local wall-clock time = UTC − 3 h.
const SHOP_ZONE = 'America/Sao_Paulo';
const localText = (at: Date) => new Date(at.getTime() - 3 * 3600_000).toISOString().slice(0, 16);

describe('admin products: scheduled publishing', () => {
  let t: TestApp;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
    // Through the settings service: the settings are cached in-process, and its save drops the copy.
    const actor = { id: new ObjectId().toHexString(), email: 'admin@example.com', ip: '127.0.0.1' };
    await t.services.admin.settings.save(actor, { timeZone: SHOP_ZONE, enforceTwoFactor: false, lowStockThreshold: '5' });
  });
  afterAll(async () => t?.close());

  const stored = async (id: ObjectId) => t.db.collection<ProductDoc>('products').findOne({ _id: id });
  const editor = (id: ObjectId) => staff.get(`/admin/products/${id.toHexString()}`);
  const fieldValue = (page: Page, name: string) => page.html().querySelector(`#f-${name}`)?.getAttribute('value');

  it('schedules a published product in the shop time zone, hides it until then, and publishes at once when cleared', async () => {
    const slug = `lamp-${new ObjectId().toHexString().slice(-8)}`;
    const p = await t.services.catalog.createProduct({
      slug, title: { en: 'Scheduled lamp' }, price: { amount: 2500, currency: 'EUR' },
      variants: [{ sku: `SL-${slug}`, options: {}, stock: 3, weight: 100 }],
    });
    expect((await new TestAgent(t.app).get(`/p/${slug}`)).status).toBe(200);

    const launch = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * DAY);
    const saved = await staff.submitForm(await editor(p._id), 'form.product-form', { publishAt: localText(launch) });
    expect(saved.status).toBe(303);
    expect((await stored(p._id))?.publishedAt?.toISOString()).toBe(launch.toISOString());
    expect((await new TestAgent(t.app).get(`/p/${slug}`)).status).toBe(404);
    const shown = await editor(p._id);
    expect(fieldValue(shown, 'publishAt')).toBe(localText(launch));
    expect(shown.html().querySelector('.view-on-site + .hint')?.text).toContain('scheduled');
    const audit = await t.db.collection('audit_log').findOne({ action: 'product.update', 'entity.id': p._id.toHexString() });
    expect(Object.keys((audit?.after as Record<string, unknown> | undefined) ?? {})).toContain('publishedAt');

    // Cleared: the product appears now, and the field stays empty (it is already shown).
    const cleared = await staff.submitForm(shown, 'form.product-form', { publishAt: '' });
    expect(cleared.status).toBe(303);
    expect((await stored(p._id))?.publishedAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await new TestAgent(t.app).get(`/p/${slug}`)).status).toBe(200);
    expect(fieldValue(await editor(p._id), 'publishAt')).toBe('');
  });

  it('creates a product scheduled for later, and refuses a malformed time beside its field', async () => {
    const slug = `new-${new ObjectId().toHexString().slice(-8)}`;
    const launch = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 5 * DAY);
    const form = await staff.get('/admin/products/new');
    const created = await staff.submitForm(form, 'form.product-form', {
      slug, title_en: 'Future kettle', price: '12.50', status: 'published', publishAt: localText(launch), v0_sku: `FK-${slug}`, v0_stock: '2',
    });
    expect(created.status).toBe(303);
    const doc = await t.db.collection<ProductDoc>('products').findOne({ slug });
    expect(doc?.status).toBe('published');
    expect(doc?.publishedAt?.toISOString()).toBe(launch.toISOString());
    expect((await new TestAgent(t.app).get(`/p/${slug}`)).status).toBe(404);

    const bad = await staff.submitForm(form, 'form.product-form', {
      slug: `${slug}-2`, title_en: 'Bad time', price: '1.00', status: 'published', publishAt: 'next tuesday', v0_sku: `BT-${slug}`, v0_stock: '1',
    });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('#e-publishAt')).not.toBeNull();
    expect(fieldValue(bad, 'publishAt')).toBe('next tuesday');
  });
});
