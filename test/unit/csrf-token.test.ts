import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../src/plugins/csrf.js';

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
