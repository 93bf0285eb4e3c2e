import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('layout and home page', () => {
  it('renders the home page with landmarks, skip link, search, account, cart and footer links', async () => {
    const page = await new TestAgent(t.app).get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const doc = page.html();
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('en');
    expect(doc.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    expect(doc.querySelector('main#main')).not.toBeNull();
    expect(doc.querySelector('header')).not.toBeNull();
    expect(doc.querySelector('footer')).not.toBeNull();
    const search = doc.querySelector('form[role=search]');
    expect(search?.getAttribute('action')).toBe('/search');
    expect(search?.getAttribute('method')).toBe('get');
    expect(doc.querySelector('label[for=site-search]')?.text).toBe('Search the shop');
    expect(doc.querySelector('h1')?.text).toBe('Welcome to Vitrine');
    const footerLinks = doc.querySelectorAll('footer a').map((a) => a.getAttribute('href'));
    expect(footerLinks).toEqual(expect.arrayContaining(['/pages/en/shipping.html', '/pages/en/returns.html', '/pages/en/privacy.html']));
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    const css = doc.querySelector('link[rel=stylesheet]')?.getAttribute('href');
    expect(css).toMatch(/^\/assets\/css\/site\.[0-9a-f]{10}\.css$/);
  });

  it('shows the shop name from the settings stored in the database', async () => {
    await t.services.site.ensureDefaults();
    await t.db.collection('settings').updateOne({ _id: 'site' as never }, { $set: { shopName: 'Casa Azul' } });
    const page = await new TestAgent(t.app).get('/');
    expect(page.html().querySelector('h1')?.text).toBe('Welcome to Casa Azul');
  });

  it('escapes user input echoed in a page', async () => {
    const page = await new TestAgent(t.app).get('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script>');
    expect(page.html().querySelector('h1')?.text).toBe('Results for “<script>alert(1)</script>”');
    expect(page.html().querySelector('#site-search')?.getAttribute('value')).toBe('<script>alert(1)</script>');
  });
});
