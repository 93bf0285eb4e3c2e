import { describe, expect, it } from 'vitest';
import { censorSecrets, loggableUrl } from '../../src/logger.js';

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

describe('loggableUrl', () => {
  it('censors credentials in the query string and in route parameters, and leaves the rest as sent', () => {
    expect(loggableUrl('/orders/abc?sig=s3cr%2Bt&lang=es')).toBe('/orders/abc?sig=[Redacted]&lang=es');
    expect(loggableUrl('/downloads/abc/0?exp=123&sig=xyz')).toBe('/downloads/abc/0?exp=123&sig=[Redacted]');
    expect(loggableUrl('/x?token=a&token=b&%73ig=c')).toBe('/x?token=[Redacted]&token=[Redacted]&%73ig=[Redacted]');
    expect(loggableUrl('/reset-password/AbC%2Fd', { token: 'AbC/d' })).toBe('/reset-password/[Redacted]');
    expect(loggableUrl('/reset-password/abc?next=/x', { token: 'abc' })).toBe('/reset-password/[Redacted]?next=/x');
    expect(loggableUrl('/p/blue-shirt?signature=1&designer=x', { slug: 'blue-shirt' })).toBe('/p/blue-shirt?signature=1&designer=x');
    expect(loggableUrl('/search?q=%E0%A4%A')).toBe('/search?q=%E0%A4%A');
  });
});
