import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBody, deflateParts, fillGzipTemplate, gzipTemplate, preferredEncoding, spliceGzip } from '../../src/plugins/compression.js';

const page = (n: number) => Buffer.from(`<li class="card">Product ${n} <span>€ ${n},00</span></li>\n`.repeat(40));

describe('spliceGzip', () => {
  it('gives a gzip body (CRC and length checked by gunzip) of the parts with the fills between them', () => {
    const parts = [page(1), page(2), Buffer.alloc(0), page(3)];
    const deflated = deflateParts(parts);
    for (const fills of [
      [Buffer.from('token-1'), Buffer.from('<a href="/cart">Cart <b>2 items</b></a>'), Buffer.from('é')],
      [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)],
      // Bigger than one stored block (65535 bytes), and binary.
      [randomBytes(70_000), Buffer.from('x'), randomBytes(3)],
    ]) {
      const expected = Buffer.concat([parts[0], fills[0], parts[1], fills[1], parts[2], fills[2], parts[3]] as Buffer[]);
      expect(gunzipSync(spliceGzip(deflated, fills)).equals(expected)).toBe(true);
    }
  });

  it('keeps the fixed parts compressed (a 10 KB page of repeated markup stays far below its size)', () => {
    const parts = [page(1), page(2)];
    const body = spliceGzip(deflateParts(parts), [Buffer.from('tok')]);
    expect(body.length).toBeLessThan((parts[0]!.length + parts[1]!.length) / 10);
  });

  it('combines the CRC of large and odd-sized parts (the trailer is checked by gunzip)', () => {
    const parts = [randomBytes(100_003), Buffer.from('a'), randomBytes(65_536), randomBytes(7)];
    const fills = [Buffer.from('1'), randomBytes(70_001), Buffer.alloc(0)];
    const expected = Buffer.concat([parts[0], fills[0], parts[1], fills[1], parts[2], parts[3]] as Buffer[]);
    expect(gunzipSync(spliceGzip(deflateParts(parts), fills)).equals(expected)).toBe(true);
  });

  it('a template leaves the open places to one text per request and gives the same page as spliceGzip', () => {
    const parts = [page(1), page(2), Buffer.alloc(0), page(3), randomBytes(70_001)];
    const fixed = [Buffer.alloc(0), Buffer.from('<a href="/cart">Cart</a>'), Buffer.alloc(0), randomBytes(66_000)];
    const deflated = deflateParts(parts);
    // Places 0 and 2 are open (two CSRF holes), 1 and 3 fixed.
    const template = gzipTemplate(deflated, fixed, (i) => i === 0 || i === 2);
    expect(template.segments).toHaveLength(3);
    for (const text of ['0a1b2c3d-tokentokentoken', '', 'x'.repeat(65_535)]) {
      const fills = fixed.map((fill, i) => (i === 0 || i === 2 ? Buffer.from(text) : fill));
      const body = fillGzipTemplate(template, text);
      expect(gunzipSync(body).equals(gunzipSync(spliceGzip(deflated, fills)))).toBe(true);
      expect(gunzipSync(body).equals(Buffer.concat(parts.flatMap((part, i) => (i < fills.length ? [part, fills[i]!] : [part]))))).toBe(true);
    }
    // Latin-1 text goes in as its bytes, and the trailer matches them.
    expect(gunzipSync(fillGzipTemplate(template, 'é')).includes(Buffer.from([0xe9]))).toBe(true);
    expect(() => fillGzipTemplate(template, 'x'.repeat(65_536))).toThrow(RangeError);
    // No open place: the whole page, fixed.
    expect(gunzipSync(fillGzipTemplate(gzipTemplate(deflated, fixed, () => false), 'unused')).equals(gunzipSync(spliceGzip(deflated, fixed)))).toBe(true);
  });

  it('gives every body its own bytes (bodies are cut from shared slabs, never handed out twice)', () => {
    const parts = [page(1), page(2)];
    const template = gzipTemplate(deflateParts(parts), [Buffer.alloc(0)], () => true);
    const bodies = Array.from({ length: 60 }, (_, i) => fillGzipTemplate(template, `token-${i}`));
    bodies.forEach((body, i) => expect(gunzipSync(body).toString()).toBe(`${parts[0]!.toString()}token-${i}${parts[1]!.toString()}`));
  });

  it('works with a single part and no holes', () => {
    const parts = [page(7)];
    expect(gunzipSync(spliceGzip(deflateParts(parts), [])).equals(parts[0]!)).toBe(true);
  });
});

describe('compressBody', () => {
  it('makes gzip and brotli forms that decompress to the body', () => {
    const body = page(4);
    const { gzip, br } = compressBody(body);
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
  });
});

describe('preferredEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['identity', null],
    ['deflate', null],
    ['gzip;q=0, br;q=0', null],
    ['gzip;q=NaN, br;q=-1, *;q=1e400', null],
    ['', null],
  ] as const)('%j → %s', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });

  it('honours "only gzip" for bodies that exist only in gzip', () => {
    expect(preferredEncoding('gzip, deflate, br', 'gzip')).toBe('gzip');
    expect(preferredEncoding('br', 'gzip')).toBeNull();
    expect(preferredEncoding(undefined)).toBeNull();
    expect(preferredEncoding(['br;q=0', 'gzip'])).toBe('gzip');
  });
});
