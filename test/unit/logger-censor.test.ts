import { describe, expect, it } from 'vitest';
import { censorSecrets } from '../../src/logger.js';

describe('censorSecrets', () => {
  it('replaces secret fields up to two levels down, in objects and arrays, without touching the input', () => {
    const body = { email: 'a@b.c', password: 'p1' };
    const input = { password: 'p0', body, deep: { user: { token: 't2', name: 'n' } }, list: [{ secret: 's' }], tooDeep: { a: { b: { password: 'kept' } } } };
    const out = censorSecrets(input);
    expect(out).toEqual({
      password: '[Redacted]',
      body: { email: 'a@b.c', password: '[Redacted]' },
      deep: { user: { token: '[Redacted]', name: 'n' } },
      list: [{ secret: '[Redacted]' }],
      tooDeep: { a: { b: { password: 'kept' } } },
    });
    expect(body.password).toBe('p1');
    expect(input.password).toBe('p0');
  });

  it('censors dictionaries without Object.prototype (parsed form bodies)', () => {
    const proto = Object.create(null) as object;
    const body = Object.assign(Object.create(proto) as Record<string, string>, { email: 'e', password: 'p' });
    expect(censorSecrets({ body })).toEqual({ body: { email: 'e', password: '[Redacted]' } });
  });

  it('returns the same object when there is nothing to censor, and leaves class instances alone', () => {
    class Request {
      password = 'inside a class: its serializer decides';
    }
    const input = { msg: 'x', req: new Request(), nested: { ok: 1 } };
    expect(censorSecrets(input)).toBe(input);
  });
});
