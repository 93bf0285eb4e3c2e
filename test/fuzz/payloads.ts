/**
 * The malformed values the fuzz sends. A value is either text (percent-encoded when sent) or raw
 * bytes (sent exactly as they are, e.g. invalid UTF-8).
 */
export type Raw = { raw: Buffer };
export type FieldValue = string | Raw;

export const raw = (bytes: number[] | Buffer | string): Raw => ({ raw: Buffer.isBuffer(bytes) ? bytes : typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes) });

export const MB = 1_000_000;

/** Values for one field, by family. Each is named so that a failure says what was sent. */
export const FIELD_VALUES: readonly { name: string; value: FieldValue }[] = [
  { name: 'empty', value: '' },
  { name: 'spaces', value: '   \t  ' },
  { name: 'zero', value: '0' },
  { name: 'negative', value: '-1' },
  { name: 'huge-int', value: '99999999999999999999999999' },
  { name: 'float', value: '1.5' },
  { name: 'exp-overflow', value: '1e309' },
  { name: 'nan', value: 'NaN' },
  { name: 'hex', value: '0x1F' },
  { name: 'bool', value: 'true' },
  { name: 'null-word', value: 'null' },
  { name: 'json-operator', value: '{"$ne":null}' },
  { name: 'where', value: '{"$where":"sleep(1000)"}' },
  { name: 'dollar-field', value: '$gt' },
  { name: 'dotted', value: 'a.b.$[x]' },
  { name: 'objectid-like', value: 'ffffffffffffffffffffffff' },
  { name: 'control-chars', value: 'a\u0000b\u0001c\u0007\u001b[31m\r\nSet-Cookie: x=1' },
  { name: 'nul-only', value: '\u0000' },
  { name: 'bidi-zero-width', value: '\u202Eevil\u200B\uFEFF' },
  { name: 'lone-surrogate', value: '\uD800x' },
  { name: 'emoji-combining', value: '👩‍👩‍👧‍👦e\u0301\u0301\u0301' },
  { name: 'html', value: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
  { name: 'template', value: '<%= it.secret %>{{7*7}}${7*7}' },
  { name: 'path-traversal', value: '../../../../etc/passwd' },
  { name: 'url-encoded-percent', value: '%00%ff%2e%2e' },
  { name: 'email-ish', value: 'a@b@c..com' },
  { name: 'long-10k', value: 'x'.repeat(10_000) },
  { name: 'long-1mb', value: 'y'.repeat(MB - 4096) },
  { name: 'invalid-utf8-raw', value: raw([0xff, 0xfe, 0xc0, 0xae, 0x80]) },
  { name: 'invalid-utf8-percent', value: raw('%FF%FE%C0%AE%80') },
  { name: 'overlong-slash', value: raw('%C0%AF%E0%80%AF') },
  { name: 'truncated-percent', value: raw('abc%E2%82') },
  { name: 'bad-percent', value: raw('%zz%') },
];

/** Values that must never become an off-site redirect. */
export const REDIRECT_VALUES: readonly string[] = [
  '//evil.com',
  '//evil.com/%2e%2e',
  'https://evil.com',
  'http://evil.com/login',
  '/\\evil.com',
  '\\\\evil.com',
  '/%5Cevil.com',
  '/%2F%2Fevil.com',
  '///evil.com',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ' //evil.com',
  '/\t/evil.com',
  '/\r\nLocation: https://evil.com',
  'https:evil.com',
  '@evil.com',
];

/** Names a redirect target may go by in a form or a query string. */
export const REDIRECT_FIELDS = ['next', 'redirect', 'returnTo', 'back', 'return', 'url'] as const;

/** Path parameter values (before the route's own placeholders are filled in). */
export const PARAM_VALUES: readonly string[] = [
  '..%2f..%2f..%2fpackage.json',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%00',
  '%ff%fe',
  '%C0%AE%C0%AE',
  '$ne',
  '%7B%22$gt%22:%22%22%7D',
  'ffffffffffffffffffffffff',
  '0123456789abcdef0123456',
  '-1',
  '99999999999999999999',
  '1e400',
  'x'.repeat(3000),
  '%E2%80%AE',
  'a%20b',
];

/** Raw paths for static files, assets and media: traversal must never reach outside public/. */
export const TRAVERSAL_PATHS: readonly string[] = [
  '/assets/../package.json',
  '/assets/%2e%2e/package.json',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/assets/..%2f..%2fpackage.json',
  '/assets/..%5c..%5cpackage.json',
  '/assets/%252e%252e/package.json',
  '/assets/css/site.css%00.js',
  '/assets/',
  '/assets/' + 'a'.repeat(5000),
  '/media/..%2f..%2fpackage.json/x.jpg',
  '/media/..%2f/x',
  '/media/%2e%2e/%2e%2e/package.json',
  '/media/000000000000000000000000/400.webp',
  '/media/zzz/400.webp',
  '/media/000000000000000000000000/..%2f..%2fpackage.json',
  '/media/000000000000000000000000/99999999999.jpg',
  '/media/000000000000000000000000/400.exe',
  '/css/..%2f..%2fpackage.json',
  '/css/%2e%2e/%2e%2e/package.json',
  '/css/../../package.json',
  '/img/..%5c..%5cpackage.json',
  '/pages/en/..%2f..%2f..%2fpackage.json',
  '/pages/en/%2e%2e/%2e%2e/%2e%2e/package.json',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '//etc/passwd',
  '/.env',
  '/.git/config',
  '/%2e%2e%2f.env',
  '/css/site.css/..%2f..%2f..%2f.env',
  '/favicon.ico%00',
  '/robots.txt/..%2f..%2fpackage.json',
];

/** Raw path bytes that are not UTF-8 (sent as latin1 characters, i.e. single bytes). */
export const RAW_BAD_PATHS: readonly string[] = ['/\xff\xfe', '/p/\xc0\xae\xc0\xae', '/search?q=\xff', '/account/addresses/\xff/edit', '/%ff', '/p/%ff%fe', '/c/%c0%af'];

/** Markers of content that must never be served (a file outside public/). */
export const SECRET_MARKERS: readonly string[] = ['"name": "vitrine"', 'root:x:0:0', '[core]', 'SESSION_SECRET'];
