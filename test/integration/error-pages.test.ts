import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MongoNetworkError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../src/lib/errors.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const thrown: Record<string, () => Error> = {
  '400': () => new BadRequestError(),
  '401': () => new UnauthorizedError(),
  '403': () => new ForbiddenError(),
  '404': () => new NotFoundError('product 42 not found'),
  '409': () => new ConflictError(),
  '422': () => new ValidationError([{ field: 'email', messageKey: 'x' }]),
  '429': () => new TooManyRequestsError(),
  '503': () => new ServiceUnavailableError(),
  '500': () => new Error('secret internal detail: password=hunter2 at /srv/app/db.ts'),
  db: () => new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'),
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    extraModules: [
      {
        name: 'errors-test',
        routes: async (base) => {
          const site = base.withTypeProvider<TypeBoxTypeProvider>();
          site.get<{ Params: { kind: string } }>('/test/throw/:kind', async (request) => {
            throw (thrown[request.params.kind] ?? thrown['500'])!();
          });
          site.get('/test/typed', { schema: { querystring: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (request) => ({
            n: request.query.n,
          }));
        },
      },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

const titles: Record<number, { en: string; es: string }> = {
  400: { en: 'Bad request', es: 'Solicitud incorrecta' },
  401: { en: 'Please sign in', es: 'Inicia sesión' },
  403: { en: 'Not allowed', es: 'No permitido' },
  404: { en: 'Page not found', es: 'Página no encontrada' },
  409: { en: 'Conflict', es: 'Conflicto' },
  422: { en: 'Please check your input', es: 'Revisa los datos' },
  429: { en: 'Too many requests', es: 'Demasiadas solicitudes' },
  500: { en: 'Something went wrong', es: 'Algo salió mal' },
  503: { en: 'Temporarily unavailable', es: 'No disponible por el momento' },
};

describe('error pages', () => {
  it.each(['400', '401', '403', '404', '409', '422', '429', '503', '500'])('renders a translated page for %s', async (kind) => {
    const status = Number(kind);
    for (const locale of ['en', 'es'] as const) {
      const page = await new TestAgent(t.app, { 'accept-language': locale }).get(`/test/throw/${kind}`);
      expect(page.status).toBe(status);
      const doc = page.html();
      expect(doc.querySelector('html')?.getAttribute('lang')).toBe(locale);
      expect(doc.querySelector('h1')?.text).toBe(titles[status]?.[locale]);
      expect(doc.querySelector('footer')).not.toBeNull();
    }
  });

  it('shows a reference on the 500 page that is also in the log line, and nothing internal', async () => {
    const page = await new TestAgent(t.app).get('/test/throw/500');
    expect(page.status).toBe(500);
    expect(page.body).not.toContain('hunter2');
    expect(page.body).not.toContain('/srv/app');
    const reference = /reference: ([0-9A-F]{8})/.exec(page.html().querySelector('.reference')?.text ?? '')?.[1];
    expect(reference).toBeDefined();
    const line = t.logs().find((l) => l.ref === reference);
    expect(line?.level).toBe(50);
    expect(JSON.stringify(line?.err)).toContain('secret internal detail');
  });

  it('turns a database outage error into 503, not 500', async () => {
    const page = await new TestAgent(t.app).get('/test/throw/db');
    expect(page.status).toBe(503);
    expect(page.body).not.toContain('127.0.0.1:27017');
  });

  it('answers 422 with a translated message when a schema rejects the input', async () => {
    const bad = await new TestAgent(t.app, { 'accept-language': 'pt-BR' }).get('/test/typed?n=zero');
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('h1')?.text).toBe('Verifique os dados');
    expect((await t.app.inject('/test/typed?n=3')).json()).toEqual({ n: 3 });
  });

  it('answers 422 (not a query operator) for an object where a string is expected', async () => {
    const agent = new TestAgent(t.app);
    const page = await agent.get('/login'); // a page with a POST form, hence a CSRF token
    const token = page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/locale',
      headers: { 'content-type': 'application/json', cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: JSON.stringify({ _csrf: token, locale: { $ne: 'x' } }),
    });
    expect(res.statusCode).toBe(422);
  });

  it('renders the 404 page for unknown routes and methods', async () => {
    const page = await new TestAgent(t.app, { 'accept-language': 'pt-BR' }).get('/no/such/page');
    expect(page.status).toBe(404);
    expect(page.html().querySelector('h1')?.text).toBe('Página não encontrada');
    expect(page.html().querySelector('form.language-form')).not.toBeNull();
  });
});
