import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageDoc } from '../../src/modules/cms/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

describe('admin content pages', () => {
  let t: TestApp;
  let staff: TestAgent;
  const pages = () => t.db.collection<PageDoc>('pages');

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('previews Markdown server-side without saving, then creates, publishes and shows the page at once', async () => {
    const slug = `about-${new ObjectId().toHexString().slice(-8)}`;
    const form = await staff.get('/admin/pages/new');
    const preview = await staff.submitForm(form, 'form.page-form', { action: 'preview', slug, title_en: 'About us', body_en: 'We **love** shops.' });
    expect(preview.status).toBe(200);
    expect(preview.html().querySelector('.page-preview strong')?.text).toBe('love');
    expect(await pages().findOne({ slug })).toBeNull();
    const created = await staff.submitForm(preview, 'form.page-form', { action: 'save', status: 'draft' });
    expect(created.status).toBe(303);
    expect((await new TestAgent(t.app).get(`/pages/${slug}`)).status).toBe(404);
    const edit = await staff.follow(created);
    const published = await staff.submitForm(edit, 'form.page-form', { status: 'published' });
    expect(published.status).toBe(303);
    const visitor = await new TestAgent(t.app).get(`/pages/${slug}`);
    expect(visitor.status).toBe(200);
    expect(visitor.html().querySelector('h1')?.text.trim()).toBe('About us');
    expect(await t.db.collection('audit_log').countDocuments({ 'entity.type': 'page' })).toBe(2);
  });

  it('keeps a scheduled page hidden until its publish time', async () => {
    const slug = `later-${new ObjectId().toHexString().slice(-8)}`;
    const form = await staff.get('/admin/pages/new');
    const res = await staff.submitForm(form, 'form.page-form', { slug, title_en: 'Later', body_en: 'Soon.', status: 'published', publishAt: '2999-01-01T09:00' });
    expect(res.status).toBe(303);
    expect((await pages().findOne({ slug }))?.publishAt?.getUTCFullYear()).toBe(2999);
    expect((await new TestAgent(t.app).get(`/pages/${slug}`)).status).toBe(404);
  });

  it('re-renders invalid input (422, summary, input kept), refuses a missing CSRF token and other roles', async () => {
    const form = await staff.get('/admin/pages/new');
    const bad = await staff.submitForm(form, 'form.page-form', { slug: 'Not OK', title_en: '', body_en: 'kept text', publishAt: 'soon' });
    expect(bad.status).toBe(422);
    const links = bad.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'));
    expect(links).toEqual(['#f-slug', '#f-title_en', '#f-publishAt']);
    expect(bad.html().querySelector('#f-body_en')?.text).toBe('kept text');
    const noCsrf = await staff.post('/admin/pages/new', { slug: 'no-csrf-page', title_en: 'X', status: 'draft' });
    expect(noCsrf.status).toBe(403);
    expect(await pages().findOne({ slug: 'no-csrf-page' })).toBeNull();
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post('/admin/pages/new', { _csrf: csrfOf(form), slug: 'cust-page', title_en: 'X', status: 'draft' })).status).toBe(403);
    expect((await new TestAgent(t.app).get('/admin/pages/new')).status).toBe(303);
  });

  it('shows the differences instead of overwriting a page changed meanwhile (409)', async () => {
    const page = await t.services.cms.createPage({ slug: `faq-${new ObjectId().toHexString().slice(-8)}`, title: { en: 'FAQ' }, body: { en: 'Old' } });
    const mine = await staff.get(`/admin/pages/${page._id.toHexString()}`);
    await t.services.cms.updatePage(page._id, { title: { en: 'FAQ (theirs)' } });
    const res = await staff.submitForm(mine, 'form.page-form', { title_en: 'FAQ (mine)' });
    expect(res.status).toBe(409);
    const row = res.html().querySelectorAll('.conflict-diff tbody tr').find((r) => r.querySelector('code')?.text === 'title_en');
    expect(row?.querySelector('.current')?.text).toBe('FAQ (theirs)');
    expect((await pages().findOne({ _id: page._id }))?.title.en).toBe('FAQ (theirs)');
  });
});
