import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CategoryDoc } from '../../src/modules/catalog/types.js';
import type { HomeDoc, MenuDoc } from '../../src/modules/cms/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent, type TestUser } from './admin-fixtures.js';

/** Deleting a category removes the menu links to it and its places among the home page's featured categories. */
describe('admin category delete: menu and home references', () => {
  let t: TestApp;
  let staff: TestAgent;
  let user: TestUser;
  const categories = () => t.db.collection<CategoryDoc>('categories');
  const content = () => t.db.collection<MenuDoc | HomeDoc>('siteContent');
  const menu = async () => (await content().findOne({ _id: 'main' })) as MenuDoc | null;
  const home = async () => (await content().findOne({ _id: 'home' })) as HomeDoc | null;
  const audit = () => t.db.collection('audit_log');
  const unique = (name: string) => `${name}-${new ObjectId().toHexString().slice(-8)}`;

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: staff, user } = await signedInAgent(t, 'staff'));
  });
  afterAll(async () => t?.close());

  async function create(name: string): Promise<CategoryDoc> {
    const slug = unique(name.toLowerCase());
    const res = await staff.submitForm(await staff.get('/admin/categories/new'), 'form.category-form', { status: 'published', slug, name_en: name });
    expect(res.status).toBe(303);
    const doc = await categories().findOne({ slug });
    if (!doc) throw new Error('not created');
    return doc;
  }

  /** A category link on the menu editor's blank last row. */
  async function linkFromMenu(c: CategoryDoc): Promise<void> {
    const form = await staff.get('/admin/menu');
    const last = Number(form.html().querySelector('input[name=count]')?.getAttribute('value')) - 1;
    const res = await staff.submitForm(form, 'form.menu-form', { [`l${last}_kind`]: 'category', [`l${last}_category`]: c._id.toHexString() });
    expect(res.status).toBe(303);
  }

  async function feature(heading: string, featured: readonly CategoryDoc[]): Promise<void> {
    const form = await staff.get('/admin/home/new?kind=featuredCategories');
    const res = await staff.submitForm(form, 'form.section-form', { heading_en: heading, categoryIds: featured.map((c) => c._id.toHexString()) });
    expect(res.status).toBe(303);
  }

  const remove = async (c: CategoryDoc, lang = 'en') => staff.submitForm(await staff.get(`/admin/categories/${c._id.toHexString()}?lang=${lang}`), 'form.delete-form');

  /** The links an anonymous visitor sees in the header menu and in the home page sections. */
  async function shopLinks(): Promise<{ nav: string[]; home: string[] }> {
    const html = (await new TestAgent(t.app).get('/')).html();
    const hrefs = (selector: string) => html.querySelectorAll(selector).map((a) => a.getAttribute('href') ?? '');
    return { nav: hrefs('nav.main-nav a'), home: hrefs('.home-section a') };
  }

  const menuCategoryIds = async () => (await menu())?.links.flatMap((l) => (l.kind === 'category' ? [l.categoryId.toHexString()] : [])) ?? [];
  const featuredIds = async () =>
    (await home())?.sections.flatMap((s) => (s.kind === 'featuredCategories' ? [s.categoryIds.map((id) => id.toHexString())] : [])) ?? [];

  it('removes the menu link and the featured place in the same request, audited; the shop shows it at once', async () => {
    const doomed = await create('Lamps');
    const kept = await create('Rugs');
    await linkFromMenu(doomed);
    await linkFromMenu(kept);
    await feature('Our rooms', [doomed, kept]);
    // Seen (and cached) by the shop before the delete.
    let shop = await shopLinks();
    expect(shop.nav).toEqual(expect.arrayContaining([`/c/${doomed.slug}`, `/c/${kept.slug}`]));
    expect(shop.home).toEqual([`/c/${doomed.slug}`, `/c/${kept.slug}`]);
    const menuBefore = await menu();
    const homeBefore = await home();

    const deleted = await remove(doomed);
    expect(deleted.location).toBe('/admin/categories');
    const confirmation = await staff.follow(deleted);
    expect(confirmation.html().querySelector('.flash-success')?.text.trim()).toBe('Category deleted. 1 menu link and 1 home page section that pointed to it were updated.');

    expect(await categories().findOne({ _id: doomed._id })).toBeNull();
    expect(await menuCategoryIds()).toEqual([kept._id.toHexString()]);
    expect(await featuredIds()).toEqual([[kept._id.toHexString()]]);
    expect((await menu())?.version).toBe((menuBefore?.version ?? 0) + 1);
    expect((await home())?.version).toBe((homeBefore?.version ?? 0) + 1);

    shop = await shopLinks();
    expect(shop.nav).not.toContain(`/c/${doomed.slug}`);
    expect(shop.nav).toContain(`/c/${kept.slug}`);
    expect(shop.home).toEqual([`/c/${kept.slug}`]);

    const actor = { id: user.id, email: user.email.toLowerCase() };
    const deletion = await audit().findOne({ action: 'category.delete', 'entity.id': doomed._id.toHexString() });
    expect(deletion).toMatchObject({ actor, before: { slug: doomed.slug }, after: null });
    const menuEntry = await audit().findOne({ action: 'menu.update', 'entity.type': 'menu', at: { $gte: deletion?.at } });
    expect(menuEntry).toMatchObject({ actor, entity: { type: 'menu', id: 'main' } });
    expect(menuEntry?.before.links).toEqual([{ kind: 'category', categoryId: doomed._id.toHexString() }, { kind: 'category', categoryId: kept._id.toHexString() }]);
    expect(menuEntry?.after.links).toEqual([{ kind: 'category', categoryId: kept._id.toHexString() }]);
    const homeEntry = await audit().findOne({ action: 'home.update', 'entity.type': 'home', at: { $gte: deletion?.at } });
    expect(homeEntry).toMatchObject({ actor, entity: { type: 'home', id: 'home' } });
    expect(homeEntry?.before.sections).toEqual([{ kind: 'featuredCategories', heading: expect.objectContaining({ en: 'Our rooms' }), categoryIds: [doomed._id.toHexString(), kept._id.toHexString()] }]);
    expect(homeEntry?.after.sections).toEqual([{ kind: 'featuredCategories', heading: expect.objectContaining({ en: 'Our rooms' }), categoryIds: [kept._id.toHexString()] }]);
  });

  it('says so in Portuguese and Spanish, with the singular and plural of each count', async () => {
    const menuOnly = await create('Vases');
    await linkFromMenu(menuOnly);
    const pt = await remove(menuOnly, 'pt-BR');
    expect((await staff.get(`${pt.location ?? ''}?lang=pt-BR`)).html().querySelector('.flash-success')?.text.trim())
      .toBe('Categoria apagada. 1 link do menu que apontava para ela foi removido.');

    const featuredTwice = await create('Mirrors');
    await feature('Walls', [featuredTwice]);
    await feature('Light', [featuredTwice]);
    const es = await remove(featuredTwice, 'es');
    expect((await staff.get(`${es.location ?? ''}?lang=es`)).html().querySelector('.flash-success')?.text.trim())
      .toBe('Categoría borrada. Se actualizaron 2 secciones de la página de inicio que la destacaban.');
    // A list left empty keeps its section (heading and place), which the shop no longer shows.
    const emptied = (await home())?.sections.filter((s) => s.kind === 'featuredCategories' && s.categoryIds.length === 0);
    expect(emptied?.map((s) => (s.kind === 'featuredCategories' ? s.heading.en : ''))).toEqual(['Walls', 'Light']);
    expect((await new TestAgent(t.app).get('/')).html().querySelectorAll('.home-section h2').map((h) => h.text)).not.toContain('Walls');
  });

  it('changes nothing in the menu and on the home page when the delete is refused (the category holds a product)', async () => {
    const busy = await create('Chairs');
    await linkFromMenu(busy);
    await feature('Seating', [busy]);
    await t.db.collection('products').insertOne({ _id: new ObjectId(), slug: unique('chair'), title: { en: 'Chair' }, categoryIds: [busy._id], status: 'draft', variants: [] });
    const menuBefore = await menu();
    const homeBefore = await home();
    const entries = await audit().countDocuments();

    const refused = await remove(busy);
    expect(refused.location).toBe(`/admin/categories/${busy._id.toHexString()}`);
    expect((await staff.follow(refused)).html().querySelector('.flash-error')?.text).toContain('subcategories (0) and products (1)');
    expect(await categories().findOne({ _id: busy._id })).not.toBeNull();
    expect(await menu()).toEqual(menuBefore);
    expect(await home()).toEqual(homeBefore);
    expect(await audit().countDocuments()).toBe(entries);
    const shop = await shopLinks();
    expect(shop.nav).toContain(`/c/${busy.slug}`);
    expect(shop.home).toContain(`/c/${busy.slug}`);
  });
});
