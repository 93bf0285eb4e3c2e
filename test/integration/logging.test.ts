import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    extraModules: [
      {
        name: 'log-test',
        routes: async (site) => {
          site.post<{ Body: Record<string, string> }>('/test/log', { config: { csrf: false } }, async (request) => {
            // A careless log of a whole body must still not leak the password.
            request.log.info({ body: request.body, user: { password: request.body.password } }, 'form received');
            return { ok: true };
          });
        },
      },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

describe('request logs', () => {
  it('log method, url and status, and redact cookies, authorization and passwords', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/test/log',
      headers: {
        cookie: 'sid=SESSIONSECRET123; locale=es',
        authorization: 'Bearer TOKENSECRET456',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'email=a%40b.c&password=PASSWORDSECRET789',
    });
    expect(res.statusCode).toBe(200);
    const text = t.logText();
    for (const secret of ['SESSIONSECRET123', 'TOKENSECRET456', 'PASSWORDSECRET789']) expect(text).not.toContain(secret);

    const incoming = t.logs().find((l) => l.msg === 'incoming request' && JSON.stringify(l).includes('/test/log'));
    expect(incoming).toMatchObject({ req: { method: 'POST', url: '/test/log', headers: { cookie: '[Redacted]', authorization: '[Redacted]' } } });
    const form = t.logs().find((l) => l.msg === 'form received');
    expect(form).toMatchObject({ body: { email: 'a@b.c', password: '[Redacted]' }, user: { password: '[Redacted]' } });
    const done = t.logs().find((l) => l.msg === 'request completed' && l.reqId === incoming?.reqId);
    expect(done).toMatchObject({ res: { statusCode: 200 } });
  });
});
