import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryDoc } from '../../src/modules/catalog/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Issue 7 point 3: the category tree editor (staff may edit it). */
describe('admin categories', () => {
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
    const form = await staff.get('/admin/categories/new');
    const res = await staff.submitForm(form, 'form.category-form', values);
    expect(res.status, res.body.slice(0, 300)).toBe(303);
    const doc = await categories().findOne({ slug: values.slug });
    if (!doc) throw new Error('not created');
    return doc;
  }

  it('creates a root and a child, lists them as an indented tree and shows them in the shop at once', async () => {
    const rootSlug = unique('garden');
    const root = await create({ slug: rootSlug, name_en: 'Garden', 'name_pt-BR': 'Jardim', name_es: 'Jardín', status: 'published', sortOrder: '1' });
    const child = await create({ slug: unique('seeds'), name_en: 'Seeds', status: 'published', parentId: root._id.toHexString() });
    expect(child.ancestorIds.map((a) => a.toHexString())).toEqual([root._id.toHexString()]);
    expect(root.name['pt-BR']).toBe('Jardim');

    const list = await staff.get('/admin/categories');
    const rows = list.html().querySelectorAll('table.category-tree tbody tr');
    const seedsRow = rows.find((r) => r.querySelector('a')?.text === 'Seeds');
    expect(seedsRow?.classList.contains('depth-1')).toBe(true);
    expect(rows.find((r) => r.querySelector('a')?.text === 'Garden')?.classList.contains('depth-0')).toBe(true);

    const shop = await new TestAgent(t.app).get(`/c/${rootSlug}`);
    expect(shop.status).toBe(200);
    expect(shop.html().querySelector('h1')?.text.trim()).toBe('Garden');
    const audit = await t.db.collection('audit_log').find({ action: 'category.create' }).toArray();
    expect(audit.map((a) => (a.after as { slug: string }).slug)).toEqual(expect.arrayContaining([rootSlug, child.slug]));
  });

  it('renames the slug with a 301 from the old address, unpublishes, and moves a branch under another parent', async () => {
    const a = await create({ slug: unique('a'), name_en: 'A', status: 'published' });
    const b = await create({ slug: unique('b'), name_en: 'B', status: 'published' });
    const bChild = await create({ slug: unique('b-child'), name_en: 'B child', status: 'published', parentId: b._id.toHexString() });

    const editB = await staff.get(`/admin/categories/${b._id.toHexString()}`);
    const newSlug = unique('b-renamed');
    expect((await staff.submitForm(editB, 'form.category-form', { slug: newSlug, parentId: a._id.toHexString() })).status).toBe(303);
    const moved = await categories().findOne({ _id: bChild._id });
    expect(moved?.ancestorIds.map((x) => x.toHexString())).toEqual([a._id.toHexString(), b._id.toHexString()]);
    const old = await new TestAgent(t.app).get(`/c/${b.slug}`);
    expect(old.status).toBe(301);
    expect(old.location).toContain(`/c/${newSlug}`);

    // A fourth level is refused, and so is a move under one's own subtree.
    const editA = await staff.get(`/admin/categories/${a._id.toHexString()}`);
    const cycle = await staff.submitForm(editA, 'form.category-form', { parentId: bChild._id.toHexString() });
    expect(cycle.status).toBe(422);
    expect(cycle.html().querySelector('#e-parentId')?.text).toContain('cannot go under itself');
    const c = await create({ slug: unique('c'), name_en: 'C', status: 'published' });
    const editC = await staff.get(`/admin/categories/${c._id.toHexString()}`);
    const deep = await staff.submitForm(editC, 'form.category-form', { parentId: bChild._id.toHexString() });
    expect(deep.status).toBe(422);
    expect((await categories().findOne({ _id: c._id }))?.parentId).toBeNull();

    const again = await staff.get(`/admin/categories/${b._id.toHexString()}`);
    expect((await staff.submitForm(again, 'form.category-form', { status: 'draft' })).status).toBe(303);
    expect((await new TestAgent(t.app).get(`/c/${newSlug}`)).status).toBe(404);
  });

  it('re-renders invalid input with a linked summary (422), refuses a taken slug, a missing CSRF token and other roles', async () => {
    const taken = await create({ slug: unique('taken'), name_en: 'Taken', status: 'published' });
    const form = await staff.get('/admin/categories/new');
    const bad = await staff.submitForm(form, 'form.category-form', { slug: 'Not a slug', name_en: '', 'name_pt-BR': 'Mantido', sortOrder: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelectorAll('.error-summary a').map((x) => x.getAttribute('href'))).toEqual(['#f-slug', '#f-sortOrder', '#f-name_en']);
    expect(bad.html().querySelector('#f-name_pt-BR')?.getAttribute('value')).toBe('Mantido');
    expect(bad.html().querySelector('#f-name_en')?.getAttribute('aria-describedby')).toBe('e-name_en');
    const dup = await staff.submitForm(form, 'form.category-form', { slug: taken.slug, name_en: 'Other' });
    expect(dup.status).toBe(422);
    expect(dup.html().querySelector('#e-slug')?.text).toContain('already uses');

    const slug = unique('nocsrf');
    expect((await staff.post('/admin/categories/new', { slug, name_en: 'X', status: 'published' })).status).toBe(403);
    const edit = await staff.get(`/admin/categories/${taken._id.toHexString()}`);
    expect((await staff.post(`/admin/categories/${taken._id.toHexString()}`, { slug: taken.slug, name_en: 'Changed', status: 'published', version: '1' })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post('/admin/categories/new', { _csrf: csrfOf(await customer.get('/account')), slug, name_en: 'X', status: 'published' })).status).toBe(403);
    const visitor = await new TestAgent(t.app).get('/admin/categories');
    expect(visitor.status).toBe(303);
    expect(visitor.location).toMatch(/^\/login/);
    expect(await categories().findOne({ slug })).toBeNull();
    expect((await categories().findOne({ _id: taken._id }))?.name.en).toBe('Taken');
    expect(edit.status).toBe(200);
  });

  it('shows the differences instead of overwriting a category saved meanwhile (409)', async () => {
    const cat = await create({ slug: unique('conflict'), name_en: 'Mine', status: 'published' });
    const mine = await staff.get(`/admin/categories/${cat._id.toHexString()}`);
    const theirs = await staff.get(`/admin/categories/${cat._id.toHexString()}`);
    expect((await staff.submitForm(theirs, 'form.category-form', { name_en: 'Theirs' })).status).toBe(303);
    const res = await staff.submitForm(mine, 'form.category-form', { name_en: 'Mine again' });
    expect(res.status).toBe(409);
    const row = res.html().querySelectorAll('.conflict-diff tbody tr').find((r) => r.querySelector('code')?.text === 'name_en');
    expect(row?.querySelector('.current')?.text).toBe('Theirs');
    expect((await categories().findOne({ _id: cat._id }))?.name.en).toBe('Theirs');
    // Saving the conflict page again is a deliberate overwrite on the current version.
    expect((await staff.submitForm(res, 'form.category-form')).status).toBe(303);
    expect((await categories().findOne({ _id: cat._id }))?.name.en).toBe('Mine again');
  });
});
