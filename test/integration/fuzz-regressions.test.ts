import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent } from './admin-fixtures.js';

/** Bugs the fuzz found (test/fuzz), each pinned by a test. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('URLs the router cannot decode', () => {
  // Was: Fastify's own JSON ({"code":"FST_ERR_BAD_URL"…} / FST_ERR_MAX_PARAM_LENGTH, status 414).
  it.each([
    ['/%ff', 'GET'],
    ['/c/%c0%af', 'GET'],
    ['/admin/orders/%ff%fe/paid', 'POST'],
    [`/p/${'x'.repeat(3000)}`, 'GET'],
  ])('answers %s with a 400 HTML page in the visitor’s language', async (url, method) => {
    const r = await t.app.inject({ method: method as 'GET', url, headers: { 'accept-language': 'pt-BR,pt;q=0.9' } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = parse(r.body);
    expect(html.querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
    expect(html.querySelector('h1')?.text).toBe('Requisição inválida');
    expect(r.body).not.toContain('FST_ERR');
  });

  it('honours ?lang= and the language cookie there too', async () => {
    const byParam = await t.app.inject({ url: '/%ff?lang=es' });
    expect(parse(byParam.body).querySelector('html')?.getAttribute('lang')).toBe('es');
    const byCookie = await t.app.inject({ url: '/%ff', headers: { cookie: 'locale=es' } });
    expect(parse(byCookie.body).querySelector('html')?.getAttribute('lang')).toBe('es');
  });
});

describe('back-office customer search', () => {
  // Was: 500 — MongoDB refuses a regex with an embedded NUL byte ("Regular expression cannot contain an embedded null byte").
  it('accepts a NUL byte in the search text', async () => {
    const { agent } = await signedInAgent(t, 'admin');
    const page = await agent.get('/admin/customers?q=ab%00c');
    expect(page.status).toBe(200);
    expect(page.html().querySelector('h1')).not.toBeNull();
    expect((await agent.get('/admin/users?q=%00')).status).toBe(200);
  });
});
