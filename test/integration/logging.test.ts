import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppModule } from '../../src/modules/types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const logTest: AppModule = {
  name: 'log-test',
  routes: async (site) => {
    site.post<{ Body: Record<string, string> }>('/test/log', { config: { csrf: false } }, async (request) => {
      // A careless log of a whole body must still not leak the password.
      request.log.info({ body: request.body, user: { password: request.body.password } }, 'form received');
      return { ok: true };
    });
  },
};

const secretRequest = {
  method: 'POST' as const,
  url: '/test/log?x=1',
  headers: {
    cookie: 'sid=SESSIONSECRET123; locale=es',
    authorization: 'Bearer TOKENSECRET456',
    'content-type': 'application/x-www-form-urlencoded',
  },
  payload: 'email=a%40b.c&password=PASSWORDSECRET789',
};
const SECRETS = ['SESSIONSECRET123', 'TOKENSECRET456', 'PASSWORDSECRET789'];

let t: TestApp;
let debug: TestApp;
beforeAll(async () => {
  t = await createTestApp({ extraModules: [logTest] });
  debug = await createTestApp({ extraModules: [logTest], env: { LOG_LEVEL: 'debug' } });
});
afterAll(async () => {
  await t?.close();
  await debug?.close();
});

describe('request logs at info (production)', () => {
  it('write one access line per request: method, url, status, time, address, request id', async () => {
    const before = t.logs().length;
    const res = await t.app.inject({ url: '/no-such-page?lang=es', remoteAddress: '203.0.113.9' });
    expect(res.statusCode).toBe(404);
    const lines = t.logs().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', method: 'GET', url: '/no-such-page?lang=es', statusCode: 404, remoteAddress: '203.0.113.9' });
    expect(lines[0]?.responseTime).toEqual(expect.any(Number));
    expect(lines[0]?.reqId).toEqual(expect.any(String));
    expect(lines[0]?.pid).toBe(process.pid);
  });

  it('redact cookies, authorization and passwords', async () => {
    const res = await t.app.inject(secretRequest);
    expect(res.statusCode).toBe(200);
    const text = t.logText();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const form = t.logs().find((l) => l.msg === 'form received');
    expect(form).toMatchObject({ body: { email: 'a@b.c', password: '[Redacted]' }, user: { password: '[Redacted]' } });
    const done = t.logs().find((l) => l.msg === 'request completed' && l.reqId === form?.reqId);
    expect(done).toMatchObject({ method: 'POST', url: '/test/log?x=1', statusCode: 200 });
    expect(t.logs().some((l) => l.msg === 'incoming request')).toBe(false);
  });
});

describe('credentials in URLs', () => {
  it('are censored in the access line: signed order and download links', async () => {
    const before = t.logs().length;
    await t.app.inject({ url: '/orders/65a000000000000000000000?sig=ORDERSIGSECRET&lang=es' });
    await t.app.inject({ url: '/downloads/65a000000000000000000000/0?exp=1&sig=DOWNLOADSIGSECRET' });
    const lines = t.logs().slice(before).filter((l) => l.msg === 'request completed');
    expect(lines.map((l) => l.url)).toEqual(['/orders/65a000000000000000000000?sig=[Redacted]&lang=es', '/downloads/65a000000000000000000000/0?exp=1&sig=[Redacted]']);
    expect(t.logText()).not.toMatch(/ORDERSIGSECRET|DOWNLOADSIGSECRET/);
  });
});

describe('request logs at debug', () => {
  it('add the incoming line with the headers, secrets redacted', async () => {
    await debug.app.inject(secretRequest);
    const text = debug.logText();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const incoming = debug.logs().find((l) => l.msg === 'incoming request' && JSON.stringify(l).includes('/test/log'));
    expect(incoming).toMatchObject({ level: 20, req: { method: 'POST', url: '/test/log?x=1', headers: { cookie: '[Redacted]', authorization: '[Redacted]' } } });
    const done = debug.logs().find((l) => l.msg === 'request completed' && l.reqId === incoming?.reqId);
    expect(done).toMatchObject({ statusCode: 200 });
  });
});
