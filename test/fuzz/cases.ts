import type { FormSpec, Role } from './forms.js';
import { FIELD_VALUES, PARAM_VALUES, RAW_BAD_PATHS, REDIRECT_FIELDS, REDIRECT_VALUES, TRAVERSAL_PATHS, raw, type FieldValue } from './payloads.js';
import type { RouteInfo } from './routes.js';

/** Stands for the sending agent's current CSRF token; replaced when the request is sent. */
export const CSRF = Symbol('csrf');
export type Value = FieldValue | typeof CSRF;

export type Body =
  | { type: 'form'; pairs: [string, Value][]; contentType?: string }
  | { type: 'json'; value: unknown; withCsrf: boolean }
  | { type: 'raw'; contentType: string | undefined; data: Buffer }
  | { type: 'multipart'; fields: [string, Value][]; files: { name: string; filename: string; type: string; data: Buffer }[]; boundary?: string; truncate?: boolean };

export interface FuzzCase {
  /** Requests of one group are one batch between two database snapshots. */
  group: string;
  /** Family of the malformation (the sampled run takes some of each). */
  kind: string;
  role: Role;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Body;
  /** Expect a redirect target to be probed: any Location must stay on this site. */
  redirectProbe?: boolean;
  /** A path that must never serve a file from outside public/. */
  traversal?: boolean;
}

const withCsrf = (pairs: [string, string][]): [string, Value][] => pairs.map(([n, v]) => [n, n === '_csrf' ? CSRF : v]);
const replaceField = (pairs: [string, Value][], name: string, value: Value): [string, Value][] => pairs.map(([n, v]) => [n, n === name ? value : v]);
const renameField = (pairs: [string, Value][], name: string, to: string): [string, Value][] => pairs.map(([n, v]) => [n === name ? to : n, v]);

/** Cases for one form: each field broken in each way, then the whole request broken. */
export function formCases(form: FormSpec, options: { heavy: boolean }): FuzzCase[] {
  const group = `${form.method} ${form.action.split('?')[0] ?? ''}`;
  const base = withCsrf(form.fields);
  const names = [...new Set(form.fields.map(([n]) => n).filter((n) => n !== '_csrf'))];
  const out: FuzzCase[] = [];
  const isGet = form.method === 'GET';
  const send = (kind: string, body: Body, extra: Partial<FuzzCase> = {}): void => {
    if (isGet) {
      if (body.type !== 'form') return;
      out.push({ group, kind, role: form.role, method: 'GET', url: `${form.action.split('?')[0] ?? ''}?${encodePairs(body.pairs, '').toString('latin1')}`, ...extra });
    } else out.push({ group, kind, role: form.role, method: 'POST', url: form.action, body, ...extra });
  };
  const form_ = (pairs: [string, Value][]): Body => ({ type: 'form', pairs });

  for (const name of names) {
    for (const v of FIELD_VALUES) {
      if (isGet && v.name === 'long-1mb') continue; // URLs that long are refused by any HTTP server before the app
      send(`field:${v.name}`, form_(replaceField(base, name, v.value)));
    }
    send('field:array-brackets', form_(renameField(base, name, `${name}[]`)));
    send('field:op-ne', form_(renameField(base, name, `${name}[$ne]`)));
    send('field:op-gt', form_(replaceField(renameField(base, name, `${name}[$gt]`), `${name}[$gt]`, '')));
    send('field:op-regex', form_(replaceField(renameField(base, name, `${name}[$regex]`), `${name}[$regex]`, '.*')));
    send('field:nested', form_(renameField(base, name, `${name}[a][b]`)));
    send('field:duplicated', form_([...base, [name, 'second value']]));
    send('field:duplicated-many', form_([...base, ...Array.from({ length: 50 }, (): [string, Value] => [name, 'z'])]));
    send('field:missing', form_(base.filter(([n]) => n !== name)));
    if (!isGet) {
      for (const [jname, value] of [['json-ne', { $ne: null }], ['json-where', { $where: 'sleep(1000) || true' }], ['json-array', ['a', 'b']], ['json-number', 12345], ['json-bool', true], ['json-null', null], ['json-nested', { a: { b: { c: [1, { $gt: '' }] } } }]] as const) {
        send(`json:${jname}`, { type: 'json', withCsrf: true, value: { ...Object.fromEntries(form.fields.filter(([n]) => n !== '_csrf')), [name]: value } });
      }
    }
  }
  const fields = new Set(names);
  for (const target of REDIRECT_VALUES) {
    const redirectName = REDIRECT_FIELDS.find((n) => fields.has(n)) ?? 'next';
    const pairs = fields.has(redirectName) ? replaceField(base, redirectName, target) : [...base, [redirectName, target] as [string, Value]];
    send('redirect:field', form_(pairs), { redirectProbe: true });
  }
  send('extra:mass-assignment', form_([...base, ['role', 'admin'], ['userId', '000000000000000000000000'], ['status', 'paid'], ['_id', 'x'], ['price', '0']]));
  send('extra:proto', form_([...base, ['__proto__[polluted]', '1'], ['constructor[prototype][polluted]', '1'], ['$where', '1']]));
  if (isGet) return out;

  // The whole request, broken.
  const plain = form.fields.filter(([n]) => n !== '_csrf');
  send('csrf:missing', form_(base.filter(([n]) => n !== '_csrf')));
  send('csrf:bad', form_(replaceField(base, '_csrf', 'not-a-token')));
  send('csrf:empty', form_(replaceField(base, '_csrf', '')));
  send('csrf:other-session', form_(replaceField(base, '_csrf', 'aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')));
  send('csrf:duplicated', form_([...base, ['_csrf', 'not-a-token']]));
  send('csrf:operator', form_([...base.filter(([n]) => n !== '_csrf'), ['_csrf[$ne]', 'x']]));
  send('json:operators-body', { type: 'json', withCsrf: true, value: { $where: 'sleep(1000)', email: { $ne: null }, password: { $gt: '' }, ...Object.fromEntries(plain.map(([n]) => [n, { $ne: null }])) } });
  send('json:no-csrf', { type: 'json', withCsrf: false, value: Object.fromEntries(plain) });
  send('json:array-body', { type: 'raw', contentType: 'application/json', data: Buffer.from('[{"$ne":null}]') });
  send('json:invalid', { type: 'raw', contentType: 'application/json', data: Buffer.from('{"email": ') });
  send('json:null', { type: 'raw', contentType: 'application/json', data: Buffer.from('null') });
  send('json:deep', { type: 'raw', contentType: 'application/json', data: Buffer.from('['.repeat(5000) + ']'.repeat(5000)) });
  send('json:proto', { type: 'raw', contentType: 'application/json', data: Buffer.from('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') });
  send('ctype:text-plain', { type: 'raw', contentType: 'text/plain', data: encodePairs(base, 'placeholder') });
  send('ctype:xml', { type: 'raw', contentType: 'application/xml', data: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>') });
  send('ctype:none', { type: 'raw', contentType: undefined, data: encodePairs(base, 'placeholder') });
  send('ctype:garbage', { type: 'raw', contentType: ';;;=/=', data: Buffer.from('a=b') });
  send('ctype:charset-utf16', { type: 'form', pairs: base, contentType: 'application/x-www-form-urlencoded; charset=utf-16' });
  send('ctype:multipart-here', { type: 'multipart', fields: base, files: [] });
  send('ctype:multipart-bad-boundary', { type: 'multipart', fields: base, files: [], boundary: '' });
  send('body:empty', { type: 'raw', contentType: 'application/x-www-form-urlencoded', data: Buffer.alloc(0) });
  send('body:oversized', { type: 'raw', contentType: 'application/x-www-form-urlencoded', data: Buffer.from('a=' + 'x'.repeat(2_100_000)) });
  send('body:many-fields', { type: 'raw', contentType: 'application/x-www-form-urlencoded', data: Buffer.from(Array.from({ length: 5000 }, (_, i) => `f${i}=1`).join('&')) });
  send('body:raw-invalid-utf8', { type: 'raw', contentType: 'application/x-www-form-urlencoded', data: Buffer.concat([Buffer.from('x='), Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.from('&=&&=='), Buffer.from([0xc3])]) });
  if (form.multipart) out.push(...uploadCases(form, group, base, options.heavy));
  return out;
}

const MiB = 1024 * 1024;

/** Multipart forms: the file and the parts broken. `heavy` adds a 51 MiB upload (past every limit). */
function uploadCases(form: FormSpec, group: string, base: [string, Value][], heavy: boolean): FuzzCase[] {
  const file = form.fileFields[0] ?? 'file';
  const c = (kind: string, body: Body): FuzzCase => ({ group, kind, role: form.role, method: 'POST', url: form.action, body });
  const mp = (files: { name: string; filename: string; type: string; data: Buffer }[], fields = base, extra: Partial<Extract<Body, { type: 'multipart' }>> = {}): Body => ({ type: 'multipart', fields, files, ...extra });
  const cases = [
    c('upload:missing-file', mp([])),
    c('upload:empty-file', mp([{ name: file, filename: 'x.jpg', type: 'image/jpeg', data: Buffer.alloc(0) }])),
    c('upload:not-an-image', mp([{ name: file, filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('#!/bin/sh\nrm -rf /\n') }])),
    c('upload:traversal-name', mp([{ name: file, filename: '../../../../etc/passwd', type: 'text/plain', data: Buffer.from('a,b\n1,2\n') }])),
    c('upload:control-name', mp([{ name: file, filename: 'a\u0000b\r\n.csv', type: 'text/csv', data: Buffer.from('a,b\n') }])),
    c('upload:no-csrf', mp([{ name: file, filename: 'x.csv', type: 'text/csv', data: Buffer.from('a,b\n') }], base.filter(([n]) => n !== '_csrf'))),
    c('upload:bad-csrf', mp([{ name: file, filename: 'x.csv', type: 'text/csv', data: Buffer.from('a,b\n') }], replaceField(base, '_csrf', 'nope'))),
    c('upload:two-files', mp([1, 2].map((i) => ({ name: file, filename: `x${i}.csv`, type: 'text/csv', data: Buffer.from('a,b\n') })))),
    c('upload:too-many-parts', mp([], [...base, ...Array.from({ length: 40 }, (_, i): [string, Value] => [`f${i}`, 'x'])])),
    c('upload:big-field', mp([], [...base, ['alt_en', 'x'.repeat(70 * 1024)]])),
    c('upload:truncated', mp([{ name: file, filename: 'x.csv', type: 'text/csv', data: Buffer.from('a,b\n'.repeat(100)) }], base, { truncate: true })),
    c('upload:oversized', mp([{ name: file, filename: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(11 * MiB, 0x61) }])),
  ];
  if (heavy) cases.push(c('upload:oversized-51mib', mp([{ name: file, filename: 'huge.bin', type: 'application/octet-stream', data: Buffer.alloc(51 * MiB, 0x61) }])));
  return cases;
}

/** Generic cases from the router: bad path parameters, query junk, other methods, traversal. */
export function routeCases(routes: readonly RouteInfo[], roleFor: (r: RouteInfo) => Role, concrete: (url: string, role: Role) => string): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const route of routes) {
    if (route.url.includes('*') && route.url !== '/assets/*') continue;
    const role = roleFor(route);
    const group = `route ${route.method} ${route.url}`;
    const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
    const body: Body | undefined = route.method === 'POST' ? { type: 'form', pairs: [['_csrf', CSRF]] } : undefined;
    for (const param of params) {
      for (const value of PARAM_VALUES) {
        const url = concrete(route.url.replace(`:${param}`, value), role);
        out.push({ group, kind: 'path:param', role, method: route.method, url, body });
      }
    }
    const url = concrete(route.url, role);
    if (route.method === 'GET') {
      const q = ['page[$gt]=', 'sort[$ne]=1', 'q[]=a&q[]=b', `q=${'%F0%9F%92%A9'.repeat(2000)}`, 'lang=xx-YY', 'lang[]=en', 'page=-1', 'page=1e400', 'page=99999999999', 'next=%2F%2Fevil.com', 'a=%ff%fe', '%00=%00'];
      for (const query of q) out.push({ group, kind: 'query:junk', role, method: 'GET', url: `${url}?${query}`, redirectProbe: query.startsWith('next=') });
      out.push({ group, kind: 'query:raw-invalid-utf8', role, method: 'GET', url: `${url}?q=\xff\xfe&next=\xc0\xaf` });
    } else {
      out.push({ group, kind: 'post:empty', role, method: 'POST', url, body });
      out.push({ group, kind: 'post:no-csrf', role, method: 'POST', url, body: { type: 'form', pairs: [['x', 'y']] } });
      out.push({ group, kind: 'post:json-operators', role, method: 'POST', url, body: { type: 'json', withCsrf: true, value: { $where: '1', id: { $ne: null }, number: { $gt: 0 }, status: { $in: ['paid'] } } } });
    }
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) out.push({ group, kind: 'method:other', role, method, url, body });
  }
  const group = 'paths';
  for (const path of TRAVERSAL_PATHS) out.push({ group, kind: 'path:traversal', role: 'visitor', method: 'GET', url: path, traversal: true });
  for (const path of RAW_BAD_PATHS) out.push({ group, kind: 'path:raw-bytes', role: 'visitor', method: 'GET', url: path, traversal: true });
  for (const value of REDIRECT_VALUES) {
    const enc = encodeURIComponent(value);
    out.push({ group: 'redirect', kind: 'redirect:query', role: 'visitor', method: 'GET', url: `/login?next=${enc}`, redirectProbe: true });
    out.push({ group: 'redirect', kind: 'redirect:query', role: 'visitor', method: 'GET', url: `/account?next=${enc}`, redirectProbe: true });
    out.push({ group: 'redirect', kind: 'redirect:query', role: 'customerA', method: 'GET', url: `/login?next=${enc}`, redirectProbe: true });
    out.push({ group: 'redirect', kind: 'redirect:path', role: 'visitor', method: 'GET', url: `/${value.replace(/^\/+/, '/')}`, redirectProbe: true });
    out.push({ group: 'redirect', kind: 'redirect:referer', role: 'visitor', method: 'POST', url: '/locale', headers: { referer: value }, body: { type: 'form', pairs: [['_csrf', CSRF], ['locale', 'es'], ['back', value]] }, redirectProbe: true });
  }
  for (const [name, value] of [['host', 'evil.com'], ['x-forwarded-host', 'evil.com'], ['x-forwarded-proto', 'javascript'], ['accept-language', ';;;q=x,' + 'a'.repeat(10_000)], ['accept-language', '*'], ['cookie', 'sid=garbage; _csrf=garbage; locale=../../etc'], ['cookie', `sid=${'s'.repeat(8000)}`], ['if-none-match', '"'.repeat(100)], ['range', 'bytes=99999999-1'], ['accept-encoding', 'gzip;q=NaN, br;q=-1, *;q=1e400'], ['content-length', '-1']] as const) {
    for (const url of ['/', '/login', '/css/site.css', '/account', '/admin']) {
      out.push({ group: 'headers', kind: `header:${name}`, role: 'visitor', method: 'GET', url, headers: { [name]: value }, redirectProbe: true });
    }
  }
  return out;
}

/** urlencoded body from pairs; a Raw value is inserted byte for byte. */
export function encodePairs(pairs: readonly [string, Value][], csrf: string): Buffer {
  const parts: Buffer[] = [];
  pairs.forEach(([name, value], i) => {
    if (i > 0) parts.push(Buffer.from('&'));
    parts.push(Buffer.from(encodeURIComponent(name) + '='));
    if (value === CSRF) parts.push(Buffer.from(encodeURIComponent(csrf)));
    else if (typeof value === 'string') parts.push(Buffer.from(encodeURIComponent(wellFormed(value))));
    else parts.push(value.raw);
  });
  return Buffer.concat(parts);
}

/** encodeURIComponent throws on a lone surrogate: a browser sends U+FFFD in its place. */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export { raw };
