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

describe('language', () => {
  it('follows Accept-Language when no choice was made, else English', async () => {
    const es = await new TestAgent(t.app, { 'accept-language': 'es-AR,es;q=0.9' }).get('/');
    expect(es.html().querySelector('html')?.getAttribute('lang')).toBe('es');
    expect(es.html().querySelector('h1')?.text).toBe('Bienvenido a Vitrine');
    const other = await new TestAgent(t.app, { 'accept-language': 'de-DE' }).get('/');
    expect(other.html().querySelector('html')?.getAttribute('lang')).toBe('en');
  });

  it('switches with the footer form, returns to the same page and shows a flash once', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'en' });
    const page = await agent.get('/search?q=mesa');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'pt-BR' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/search?q=mesa');
    expect(agent.cookies.get('locale')).toBe('pt-BR');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/locale=pt-BR;.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const after = await agent.follow(res);
    const doc = after.html();
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('pt-BR');
    expect(doc.querySelector('h1')?.text).toBe('Resultados para “mesa”');
    expect(doc.querySelector('.flash')?.text).toBe('A loja agora está em português.');
    expect(doc.querySelector('#language-select option[selected]')?.getAttribute('value')).toBe('pt-BR');

    const again = await agent.get('/');
    expect(again.html().querySelector('.flash')).toBeNull();
  });

  it('never redirects to another site', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/');
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const res = await agent.submitForm(page, 'form.language-form', { locale: 'es', returnTo });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/');
    }
  });

  it('answers 422 (translated) for a locale we do not have', async () => {
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    const page = await agent.get('/');
    const res = await agent.submitForm(page, 'form.language-form', { locale: 'fr' });
    expect(res.status).toBe(422);
    expect(res.html().querySelector('h1')?.text).toBe('Revisa los datos');
    expect(agent.cookies.has('locale')).toBe(false);
  });
});
