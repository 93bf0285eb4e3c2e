import { gzipSync } from 'node:zlib';
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

async function stylesheetUrl(): Promise<string> {
  const page = await new TestAgent(t.app).get('/');
  return page.html().querySelector('link[rel=stylesheet]')?.getAttribute('href') ?? '';
}

describe('static files', () => {
  it('serves hashed assets immutable for a year, and 404s a stale hash', async () => {
    const url = await stylesheetUrl();
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toContain('--accent');
    expect(res.headers['set-cookie']).toBeUndefined();

    expect((await t.app.inject(url.replace(/\.[0-9a-f]{10}\.css$/, '.0000000000.css'))).statusCode).toBe(404);
    expect((await t.app.inject('/assets/css/../../package.json')).statusCode).toBe(404);
  });

  it('links one stylesheet on every page of the shop, at most 15 KB gzipped', async () => {
    const agent = new TestAgent(t.app);
    const hrefs = new Set<string>();
    for (const path of ['/', '/search?q=x', '/login', '/register', '/cart', '/forgot-password', '/pages/about', '/no-such-page']) {
      const page = await agent.get(path);
      const links = page.html().querySelectorAll('link[rel=stylesheet]').map((l) => l.getAttribute('href') ?? '');
      expect(links, path).toHaveLength(1);
      hrefs.add(links[0] ?? '');
    }
    expect(hrefs.size).toBe(1);
    const css = await t.app.inject([...hrefs][0] ?? '');
    expect(css.statusCode).toBe(200);
    expect(gzipSync(css.rawPayload, { level: 9 }).length).toBeLessThanOrEqual(15 * 1024);
  });

  it('revalidates plain files with ETag and Last-Modified (304)', async () => {
    const first = await t.app.inject('/css/site.css');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=0');
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).not.toBe('undefined');
    const byEtag = await t.app.inject({ url: '/css/site.css', headers: { 'if-none-match': etag } });
    expect(byEtag.statusCode).toBe(304);
    expect(byEtag.body).toBe('');
    const byDate = await t.app.inject({ url: '/css/site.css', headers: { 'if-modified-since': lastModified } });
    expect(byDate.statusCode).toBe(304);
  });

  it('compresses text when the client accepts it', async () => {
    const res = await t.app.inject({ url: await stylesheetUrl(), headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it.each(['en', 'pt-BR', 'es'])('serves the %s information pages, linked from the footer', async (locale) => {
    const home = await new TestAgent(t.app, { 'accept-language': locale }).get('/');
    const links = home.html().querySelectorAll('footer a[href^="/pages/"]').map((a) => a.getAttribute('href') ?? '');
    expect(links).toHaveLength(3);
    for (const href of links) {
      expect(href.startsWith(`/pages/${locale}/`)).toBe(true);
      const page = await new TestAgent(t.app).get(href);
      expect(page.status).toBe(200);
      expect(page.html().querySelector('html')?.getAttribute('lang')).toBe(locale);
      expect(page.html().querySelector('h1')?.text.length).toBeGreaterThan(0);
      expect(page.headers['set-cookie']).toBeUndefined();
    }
  });

  it('serves robots.txt and the favicon', async () => {
    const robots = await t.app.inject('/robots.txt');
    expect(robots.statusCode).toBe(200);
    expect(robots.body).toContain('Disallow: /admin');
    const icon = await t.app.inject('/favicon.ico');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/icon/);
  });

  it('answers the translated 404 page for a missing file', async () => {
    const res = await new TestAgent(t.app, { 'accept-language': 'es' }).get('/pages/es/nope.html');
    expect(res.status).toBe(404);
    expect(res.html().querySelector('h1')?.text).toBe('Página no encontrada');
  });
});

describe('security headers', () => {
  it('sends a strict CSP without inline script and the usual headers', async () => {
    const res = await t.app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    // http site: no HSTS (it would break local development)
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Static files get them too.
    expect((await t.app.inject('/robots.txt')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('marks the CSRF cookie HttpOnly and SameSite=Lax, without Secure on http, and starts no session', async () => {
    const res = await t.app.inject('/login'); // a page with a POST form
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^_csrf=/);
    expect(cookies[0]).toContain('HttpOnly');
    expect(cookies[0]).toContain('SameSite=Lax');
    expect(cookies[0]).not.toContain('Secure');
  });
});

describe('https site', () => {
  it('sends HSTS and Secure cookies when BASE_URL is https (behind a trusted proxy)', async () => {
    const https = await createTestApp({ env: { BASE_URL: 'https://shop.example.com', TRUST_PROXY: 'true' }, testDb: t.testDb });
    try {
      const res = await https.app.inject({ url: '/login', headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^_csrf=.*; Secure/);
      expect(cookie).toContain('HttpOnly');
    } finally {
      await https.close();
    }
  });
});
