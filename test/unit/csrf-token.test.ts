import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import csrfPlugin, { csrfTokenFor } from '../../src/plugins/csrf.js';

describe('csrfTokenFor', () => {
  it("makes @fastify/csrf's token format (hex salt, sha256 of salt-secret), a new salt every time", () => {
    const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQ';
    const tokens = Array.from({ length: 2000 }, () => csrfTokenFor(secret));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens.slice(0, 50)) {
      expect(token).toMatch(/^[0-9a-f]{8}-[A-Za-z0-9_-]{43}$/);
      const [salt = ''] = token.split('-');
      expect(token).toBe(`${salt}-${createHash('sha256').update(`${salt}-${secret}`, 'ascii').digest('base64url')}`);
    }
  });
});

describe('reply.csrfFormToken', () => {
  async function app() {
    const fastify = Fastify({ logger: false });
    await fastify.register(cookie);
    await fastify.register(formbody);
    await fastify.register(csrfPlugin, { secure: false });
    fastify.get('/two-forms', async (_request, reply) => ({ first: reply.csrfFormToken(), second: reply.csrfFormToken() }));
    fastify.post('/change', async () => 'changed');
    return fastify;
  }

  it('gives a new visitor one secret cookie, and every token of that response matches it', async () => {
    const fastify = await app();
    const page = await fastify.inject('/two-forms');
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^_csrf=[A-Za-z0-9_-]{24}; Path=\/; HttpOnly; SameSite=Lax$/);
    const jar = (cookies[0] ?? '').split(';')[0] ?? '';
    const { first, second } = page.json<{ first: string; second: string }>();
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      const post = await fastify.inject({ method: 'POST', url: '/change', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}` });
      expect(post.statusCode).toBe(200);
    }
    // A token made for another secret is refused.
    const other = await fastify.inject({ method: 'POST', url: '/change', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrfTokenFor('b3RoZXItc2VjcmV0LW90aGVyLXNl')}` });
    expect(other.statusCode).toBe(403);
    // A returning visitor keeps the secret: no new cookie.
    expect((await fastify.inject({ url: '/two-forms', headers: { cookie: jar } })).headers['set-cookie']).toBeUndefined();
    await fastify.close();
  });
});
