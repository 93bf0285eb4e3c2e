import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedCollections, snapshot } from '../fuzz/snapshot.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

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

describe('broken multipart bodies on the upload routes', () => {
  // Was: 500 — busboy's "Unexpected end of form" / "Multipart: Boundary not found" reached the error handler without a status.
  const BOUNDARY = '----vitrineRegressionBoundary';
  function body(token: string, fileField: string, truncate: boolean): Buffer {
    const all = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${fileField}"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${'sku,price\n'.repeat(50)}\r\n` +
        `--${BOUNDARY}--\r\n`,
    );
    return truncate ? all.subarray(0, all.length - 40) : all;
  }

  it('answers a truncated body and a boundary-less content type with a translated 400 page, and changes nothing', async () => {
    const { agent } = await signedInAgent(t, 'admin');
    const product = await t.services.catalog.createProduct({
      slug: `fuzz-mp-${Date.now()}`, title: { en: 'Multipart' }, price: { amount: 100, currency: 'EUR' },
      variants: [{ sku: `FUZZ-MP-${Date.now()}`, options: {}, stock: 1, weight: 1 }],
    });
    const editor = await agent.get(`/admin/products/${product._id.toHexString()}`);
    const token = csrfOf(editor);
    const cookie = [...agent.cookies].filter(([k]) => k !== 'locale').map(([k, v]) => `${k}=${v}`).join('; ');
    const before = await snapshot(t.db);
    const targets: [string, string][] = [
      ['/admin/products/import', 'file'],
      [`/admin/products/${product._id.toHexString()}/images`, 'image'],
      [`/admin/products/${product._id.toHexString()}/digital`, 'file'],
    ];
    for (const [url, field] of targets) {
      // An empty boundary parameter reads as no multipart at all: no fields, so the CSRF check refuses it.
      for (const [contentType, truncate, status] of [
        [`multipart/form-data; boundary=${BOUNDARY}`, true, 400],
        ['multipart/form-data', false, 400],
        ['multipart/form-data; boundary=', false, 403],
        [`multipart/form-data; boundary=${BOUNDARY}x`, false, 400],
      ] as const) {
        const r = await t.app.inject({ method: 'POST', url, payload: body(token, field, truncate), headers: { cookie, 'content-type': contentType, 'accept-language': 'es' } });
        expect(r.statusCode, `${url} ${contentType} truncate=${truncate}`).toBe(status);
        const html = parse(r.body);
        expect(html.querySelector('html')?.getAttribute('lang')).toBe('es');
        expect(html.querySelector('h1')?.text.trim()).toBe(status === 400 ? 'Solicitud incorrecta' : 'No permitido');
      }
    }
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
  });
});
