import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBody, deflateParts, fillGzipTemplate, gzipTextTemplate, preferredEncoding, spliceGzip } from '../../src/plugins/compression.js';

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

  it('a template compresses its texts as one page and leaves the open places to one text of its length per request', () => {
    // Markup that repeats across the open places (a product page's), an empty text, and random bytes
    // (no back-reference possible) past a stored block's size.
    const texts = [page(1), page(2), Buffer.alloc(0), Buffer.concat([page(1), Buffer.from('<a href="/cart">Cart</a>')]), randomBytes(70_001)];
    const length = 48;
    const template = gzipTextTemplate(texts, length);
    expect(template.segments).toHaveLength(texts.length);
    const tokens = ['A'.repeat(length), 'Product 1 <span>€ 1,00</span></li>\n'.padEnd(length, '-').slice(0, length), ...Array.from({ length: 20 }, () => randomBytes(36).toString('base64url'))];
    for (const token of tokens) {
      const body = fillGzipTemplate(template, token);
      const expected = Buffer.concat(texts.flatMap((text, i) => (i < texts.length - 1 ? [text, Buffer.from(token, 'latin1')] : [text])));
      expect(gunzipSync(body).equals(expected)).toBe(true);
    }
    // Latin-1 text goes in as its bytes, and the trailer matches them.
    expect(gunzipSync(fillGzipTemplate(template, 'é'.repeat(length))).includes(Buffer.from([0xe9, 0xe9]))).toBe(true);
    // Any other length would move what the later texts point back to: refused.
    expect(() => fillGzipTemplate(template, 'x'.repeat(length - 1))).toThrow(RangeError);
    expect(() => fillGzipTemplate(template, '')).toThrow(RangeError);
  });

  it('a template is smaller than its texts deflated one by one, when they repeat each other', () => {
    const texts = [page(1), page(1), page(1)];
    const fills = [Buffer.alloc(48, 'a'), Buffer.alloc(48, 'b')];
    const apart = spliceGzip(deflateParts(texts), fills).length;
    const together = fillGzipTemplate(gzipTextTemplate(texts, 48), 'c'.repeat(48)).length;
    expect(together).toBeLessThan(apart * 0.75);
  });

  it('gives every body its own bytes (bodies are cut from shared slabs, never handed out twice)', () => {
    const texts = [page(1), page(2)];
    const template = gzipTextTemplate(texts, 8);
    const bodies = Array.from({ length: 60 }, (_, i) => fillGzipTemplate(template, `token-${String(i).padStart(2, '0')}`));
    bodies.forEach((body, i) => expect(gunzipSync(body).toString()).toBe(`${texts[0]!.toString()}token-${String(i).padStart(2, '0')}${texts[1]!.toString()}`));
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
