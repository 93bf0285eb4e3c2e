import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import csrfPlugin, { csrfTokenFor } from '../../src/plugins/csrf.js';

describe('csrfTokenFor', () => {
  it('masks the secret with a new pad every time: 48 base64url characters, never the secret itself', () => {
    const secret = 'c2VjcmV0LXNlY3JldC1zZWNy';
    const tokens = Array.from({ length: 2000 }, () => csrfTokenFor(secret));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{48}$/);
      expect(token).not.toContain(secret);
    }
    // The masked half follows its pad: two tokens with different pads differ in their masked half too.
    expect(new Set(tokens.map((t) => t.slice(24))).size).toBeGreaterThan(1990);
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
    const other = await fastify.inject({ method: 'POST', url: '/change', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrfTokenFor('b3RoZXItc2VjcmV0LW90aGVy')}` });
    expect(other.statusCode).toBe(403);
    // A returning visitor keeps the secret: no new cookie.
    expect((await fastify.inject({ url: '/two-forms', headers: { cookie: jar } })).headers['set-cookie']).toBeUndefined();
    await fastify.close();
  });

  it('refuses a changed, cut, foreign or missing token, and a post without the secret cookie', async () => {
    const fastify = await app();
    const page = await fastify.inject('/two-forms');
    const jar = (([] as string[]).concat(page.headers['set-cookie'] ?? [])[0] ?? '').split(';')[0] ?? '';
    const { first } = page.json<{ first: string }>();
    const post = (payload: string, cookie = jar, headers: Record<string, string> = {}) =>
      fastify.inject({ method: 'POST', url: '/change', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload });
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect((await post(`_csrf=${first}`)).statusCode).toBe(200);
    // The token in a header, as a script would send it.
    expect((await post('', jar, { 'x-csrf-token': first })).statusCode).toBe(200);
    for (const bad of [flip(first, 3), flip(first, 30), first.slice(0, 47), `${first}A`, encodeURIComponent('é'.repeat(48)), '', 'x'.repeat(48)]) {
      const answer = await post(`_csrf=${bad}`);
      expect(answer.statusCode, bad).toBe(403);
    }
    expect((await post('nothing=here')).statusCode).toBe(403);
    expect((await post(`_csrf=${first}&_csrf=${first}`)).statusCode).toBe(403);
    // Without its cookie (or with a malformed one) the token proves nothing.
    expect((await post(`_csrf=${first}`, '')).statusCode).toBe(403);
    expect((await post(`_csrf=${first}`, '_csrf=short')).statusCode).toBe(403);
    await fastify.close();
  });
});
