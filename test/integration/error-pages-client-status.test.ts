import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS_COLLECTION } from '../../src/modules/accounts/repository.js';
import { changedCollections, snapshot } from '../fuzz/snapshot.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOOD_PASSWORD, uniqueEmail } from './accounts-fixtures.js';

/**
 * 4xx answers made by Fastify and its plugins rather than by our code: a body over the limit (413),
 * a content type no parser takes (415), and any other 4xx, which keeps its status and shows the
 * generic 400 text. Each is a translated page, never a 400 in disguise and never a 500.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    extraModules: [
      {
        name: 'client-status-test',
        routes: async (site) => {
          // What a plugin throws (@fastify/error): a code and a 4xx status with no page of its own.
          site.get<{ Params: { status: string } }>('/test/client-status/:status', async (request) => {
            throw Object.assign(new Error('plugin refusal'), { code: 'FST_TEST_REFUSAL', statusCode: Number(request.params.status) });
          });
        },
      },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

/** A visitor on the registration form: its cookies (session, language) and the form's CSRF token. */
async function onRegisterForm(headers: Record<string, string> = {}): Promise<{ cookie: string; csrf: string }> {
  const agent = new TestAgent(t.app, headers);
  const page = await agent.get('/register');
  const csrf = page.html().querySelector('form.register-form input[name=_csrf]')?.getAttribute('value') ?? '';
  expect(csrf).not.toBe('');
  return { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), csrf };
}

function registerBody(email: string, csrf: string, padding = ''): string {
  return new URLSearchParams({ _csrf: csrf, name: 'Ana Test', email, password: GOOD_PASSWORD, ...(padding ? { note: padding } : {}) }).toString();
}

async function postRegister(payload: string, contentType: string, headers: Record<string, string> = {}) {
  const { cookie, csrf } = await onRegisterForm(headers);
  return t.app.inject({ method: 'POST', url: '/register', headers: { ...headers, cookie, 'content-type': contentType }, payload: payload.replace('CSRF', csrf) });
}

async function userCount(email: string): Promise<number> {
  return t.db.collection(USERS_COLLECTION).countDocuments({ email });
}

/** What the error page shows: its language, title and the status number above the title. */
function parsePage(body: string): { lang: string | undefined; h1: string | undefined; status: string | undefined } {
  const html = parse(body);
  return {
    lang: html.querySelector('html')?.getAttribute('lang'),
    h1: html.querySelector('h1')?.text.trim(),
    status: html.querySelector('.error-status')?.text.trim(),
  };
}

describe('a form post over the body limit', () => {
  it('answers 413 with the translated page (en, pt-BR by Accept-Language, es by the language cookie), and registers no one', async () => {
    const bodyLimit = t.app.initialConfig.bodyLimit ?? 1024 * 1024; // Fastify's default: the app sets none
    const before = await snapshot(t.db);
    const cases: { headers: Record<string, string>; lang: string; title: string }[] = [
      { headers: { 'accept-language': 'en' }, lang: 'en', title: 'Too much data' },
      { headers: { 'accept-language': 'pt-BR,pt;q=0.9' }, lang: 'pt-BR', title: 'Dados grandes demais' },
      { headers: { cookie: 'locale=es' }, lang: 'es', title: 'Demasiados datos' },
    ];
    for (const { headers, lang, title } of cases) {
      const email = uniqueEmail('too-large');
      const { cookie, csrf } = await onRegisterForm(headers);
      const payload = registerBody(email, csrf, 'x'.repeat(bodyLimit));
      expect(payload.length).toBeGreaterThan(bodyLimit);
      const res = await t.app.inject({
        method: 'POST', url: '/register', payload,
        headers: { ...headers, cookie: [headers.cookie, cookie].filter(Boolean).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.statusCode, lang).toBe(413);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const page = parsePage(res.body);
      expect(page.lang).toBe(lang);
      expect(page.h1).toBe(title);
      expect(page.status).toBe('413');
      expect(res.body).not.toContain('FST_ERR');
      expect(await userCount(email)).toBe(0);
    }
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
    expect(t.logs().some((l) => l.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && l.status === 413 && l.level === 30)).toBe(true);
  });

  it('still registers with the same form under the limit (the size alone was refused)', async () => {
    const email = uniqueEmail('fits');
    const res = await postRegister(registerBody(email, 'CSRF'), 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(303);
    expect(await userCount(email)).toBe(1);
  });
});

describe('a form post with a content type no parser takes', () => {
  it('answers 415 with the translated page, and registers no one', async () => {
    const before = await snapshot(t.db);
    for (const [language, title] of [['en', 'Content not accepted'], ['es', 'Contenido no admitido'], ['pt-BR', 'Conteúdo não aceito']] as const) {
      const email = uniqueEmail('xml');
      const xml = `<?xml version="1.0"?><user><_csrf>CSRF</_csrf><name>Ana</name><email>${email}</email><password>${GOOD_PASSWORD}</password></user>`;
      const res = await postRegister(xml, 'application/xml', { 'accept-language': language });
      expect(res.statusCode, language).toBe(415);
      const page = parsePage(res.body);
      expect(page.lang).toBe(language);
      expect(page.h1).toBe(title);
      expect(page.status).toBe('415');
      expect(await userCount(email)).toBe(0);
    }
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
  });

  it('answers 415 on add-to-cart too, and no cart is made', async () => {
    const before = await snapshot(t.db);
    const { cookie } = await onRegisterForm();
    const res = await t.app.inject({ method: 'POST', url: '/cart/add', headers: { cookie, 'content-type': 'application/xml' }, payload: '<add><sku>X</sku></add>' });
    expect(res.statusCode).toBe(415);
    expect(parsePage(res.body).h1).toBe('Content not accepted');
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
  });
});

describe('a 4xx without a page of its own', () => {
  it.each([405, 406, 414])('keeps its status %i and shows the generic 400 text, translated', async (status) => {
    for (const [language, title] of [['en', 'Bad request'], ['es', 'Solicitud incorrecta']] as const) {
      const res = await new TestAgent(t.app, { 'accept-language': language }).get(`/test/client-status/${status}`);
      expect(res.status).toBe(status);
      const page = parsePage(res.body);
      expect(page.lang).toBe(language);
      expect(page.h1).toBe(title);
      expect(page.status).toBe(String(status));
    }
  });
});
