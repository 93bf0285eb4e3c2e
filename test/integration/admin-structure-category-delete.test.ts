import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryDoc } from '../../src/modules/catalog/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Deleting a category: only an empty one (no subcategory, no product), audited, the shop follows at once. */
describe('admin category delete', () => {
  let t: TestApp;
  let staff: TestAgent;
  const categories = () => t.db.collection<CategoryDoc>('categories');
  const unique = (name: string) => `${name}-${new ObjectId().toHexString().slice(-8)}`;

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  async function create(values: Record<string, string>): Promise<CategoryDoc> {
    const res = await staff.submitForm(await staff.get('/admin/categories/new'), 'form.category-form', { status: 'published', ...values });
    expect(res.status).toBe(303);
    const doc = await categories().findOne({ slug: values.slug });
    if (!doc) throw new Error('not created');
    return doc;
  }
  const remove = async (c: CategoryDoc) => staff.submitForm(await staff.get(`/admin/categories/${c._id.toHexString()}`), 'form.delete-form');

  it('refuses while it holds a subcategory or a product, with a translated message; deletes it once empty', async () => {
    const root = await create({ slug: unique('tools'), name_en: 'Tools' });
    const child = await create({ slug: unique('saws'), name_en: 'Saws', parentId: root._id.toHexString() });
    expect((await staff.get(`/c/${root.slug}`)).status).toBe(200);

    const refused = await remove(root);
    expect(refused.location).toBe(`/admin/categories/${root._id.toHexString()}`);
    expect((await staff.follow(refused)).html().text).toContain('still holds subcategories (1) and products (0)');
    expect(await categories().findOne({ _id: root._id })).not.toBeNull();

    const product = { _id: new ObjectId(), slug: unique('saw'), title: { en: 'Saw' }, categoryIds: [child._id], status: 'draft', variants: [] };
    await t.db.collection('products').insertOne(product);
    const withProduct = await remove(child);
    expect((await staff.follow(withProduct)).html().text).toContain('subcategories (0) and products (1)');
    await t.db.collection('products').updateOne({ _id: product._id }, { $set: { categoryIds: [] } });

    expect((await remove(child)).location).toBe('/admin/categories');
    const deleted = await remove(root);
    expect(deleted.location).toBe('/admin/categories');
    expect((await staff.follow(deleted)).html().text).toContain('Category deleted.');
    expect(await categories().countDocuments({ _id: { $in: [root._id, child._id] } })).toBe(0);
    expect((await staff.get(`/c/${root.slug}`)).status).toBe(404);
    const entry = await t.db.collection('audit_log').findOne({ action: 'category.delete', 'entity.id': root._id.toHexString() });
    expect(entry?.before).toMatchObject({ slug: root.slug });
    expect(entry?.after).toBeNull();
  });

  it('refuses a stale version, and in Portuguese says why it refused', async () => {
    const c = await create({ slug: unique('paint'), name_en: 'Paint' });
    const page = await staff.get(`/admin/categories/${c._id.toHexString()}`);
    await categories().updateOne({ _id: c._id }, { $inc: { version: 1 } });
    expect((await staff.submitForm(page, 'form.delete-form')).location).toBe(`/admin/categories/${c._id.toHexString()}`);
    expect(await categories().findOne({ _id: c._id })).not.toBeNull();
    await create({ slug: unique('brushes'), name_en: 'Brushes', parentId: c._id.toHexString() });
    const pt = await staff.get(`/admin/categories/${c._id.toHexString()}?lang=pt-BR`);
    const refused = await staff.submitForm(pt, 'form.delete-form');
    expect((await staff.get(`${refused.location ?? ''}?lang=pt-BR`)).html().text).toContain('ainda contém subcategorias (1)');
  });

  it('needs the CSRF token and a staff role', async () => {
    const c = await create({ slug: unique('glue'), name_en: 'Glue' });
    const url = `/admin/categories/${c._id.toHexString()}/delete`;
    expect((await staff.post(url, { version: String(c.version) })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post(url, { _csrf: csrfOf(await customer.get('/account')), version: String(c.version) })).status).toBe(403);
    expect(await categories().findOne({ _id: c._id })).not.toBeNull();
  });
});
