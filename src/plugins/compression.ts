import fp from 'fastify-plugin';
import { brotliCompressSync, constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';
import compress from '@fastify/compress';

/** gzip/brotli for text responses above 1 KiB (HTML, CSS, SVG). */
export default fp(
  async (app) => {
    await app.register(compress, {
      global: true,
      threshold: 1024,
      encodings: ['br', 'gzip', 'deflate'],
      // Brotli's default quality (11) is far too slow for on-the-fly responses.
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    });
  },
  { name: 'compression' },
);

/*
 * Compressed bodies made once and sent many times (the storefront's page shells, see
 * src/plugins/view.ts). A response that carries Content-Encoding passes @fastify/compress untouched.
 */

export type ContentEncoding = 'br' | 'gzip';

/** `Vary` for a response whose bytes depend on Accept-Encoding (lower case: @fastify/compress looks for it so). */
export const VARY_ENCODING = 'accept-encoding';

function qualityOf(params: string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2).map((s) => s.trim());
    if (name !== 'q') continue;
    // RFC 9110 qvalue: 0 to 1 with up to three decimals; anything else counts as "not acceptable".
    return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : 0;
  }
  return 1;
}

/**
 * The encoding to send a precompressed body in: br or gzip, whichever the Accept-Encoding header
 * weighs higher (br on a tie, `*` counts for both, `x-gzip` is gzip), or null for identity.
 * `only` limits the choice (a body that exists only as gzip).
 */
export function preferredEncoding(header: string | string[] | undefined, only?: ContentEncoding): ContentEncoding | null {
  if (header === undefined || header.length === 0) return null;
  if (Array.isArray(header)) return negotiate(header.join(','), only);
  // Browsers send a handful of distinct values: remembered (bounded: the header is the client's).
  const key = only === undefined ? header : `${only}:${header}`;
  let known = negotiated.get(key);
  if (known === undefined) {
    if (negotiated.size >= 64) negotiated.clear();
    negotiated.set(key, (known = negotiate(header, only)));
  }
  return known;
}

const negotiated = new Map<string, ContentEncoding | null>();

function negotiate(header: string, only: ContentEncoding | undefined): ContentEncoding | null {
  let br: number | undefined;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const item of header.toLowerCase().split(',')) {
    const [coding = '', ...params] = item.split(';');
    const name = coding.trim();
    if (name === 'br') br = qualityOf(params);
    else if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, qualityOf(params));
    else if (name === '*') any = qualityOf(params);
  }
  const qBr = only === 'gzip' ? 0 : (br ?? any ?? 0);
  const qGzip = only === 'br' ? 0 : (gzip ?? any ?? 0);
  if (qBr <= 0 && qGzip <= 0) return null;
  return qBr >= qGzip ? 'br' : 'gzip';
}

/** A whole body in both encodings: gzip at its best level, brotli at 5 (about 0.5 ms for 26 KB, within 15% of 11's size). */
export function compressBody(body: Buffer): Record<ContentEncoding, Buffer> {
  return {
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  };
}

/** Fixed parts of a body compressed once for spliceGzip, with what the gzip trailer needs of each. */
export interface DeflatedParts {
  parts: readonly Buffer[];
  /** Each part as raw DEFLATE on its own, byte-aligned by a sync flush; the last one final. */
  blocks: Buffer[];
  /** CRC-32 of each part, and the operator that moves a CRC past that many bytes (crcCombine). */
  crcs: number[];
  shifts: number[];
  bytes: number;
}

/**
 * Deflates each fixed part on its own, so that per-request text can be put between them without
 * compressing again (spliceGzip). Each part's back-references stay inside the part, which keeps the
 * stream valid whatever goes between.
 */
export function deflateParts(parts: readonly Buffer[]): DeflatedParts {
  const blocks = parts.map((part, i) => deflateRawSync(part, { level: 9, finishFlush: i === parts.length - 1 ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }));
  return {
    parts,
    blocks,
    // Never an empty buffer to crc32: zlib answers 0 for one without memory behind it (Buffer.alloc(0)).
    crcs: parts.map((part) => (part.length === 0 ? 0 : crc32(part))),
    shifts: parts.map((part) => x2nmodp(part.length, 3)),
    bytes: blocks.reduce((n, b) => n + b.length, 0),
  };
}

// No file name, no time stamp (a body must not vary with the time it was made), OS "unknown".
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
const STORED_MAX = 0xffff;

/** DEFLATE "stored" (uncompressed) blocks holding `data`, none of them final (RFC 1951 §3.2.4). */
function storedBlocks(data: Buffer, into: Buffer[]): void {
  for (let at = 0; at < data.length; at += STORED_MAX) {
    const chunk = data.subarray(at, at + STORED_MAX);
    const head = Buffer.allocUnsafe(5);
    head[0] = 0x00; // BFINAL 0, BTYPE 00, padded to the byte
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    into.push(head, chunk);
  }
}

/**
 * A gzip body for parts[0] fills[0] parts[1] fills[1] … parts[n]: the parts' compressed blocks with
 * each fill as stored blocks between them, and the trailer's CRC-32 and length over the whole text,
 * combined from the parts' own CRCs: no pass over the fixed text per request. The fills are never
 * compressed, so a secret in one (a CSRF token) gives no length oracle next to reflected text (BREACH).
 */
export function spliceGzip(deflated: DeflatedParts, fills: readonly (Buffer | undefined)[]): Buffer {
  const { parts, blocks, crcs: partCrcs, shifts: partShifts } = deflated;
  const chunks: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    chunks.push(blocks[i] as Buffer);
    crc = (multmodp(partShifts[i] as number, crc) ^ (partCrcs[i] as number)) >>> 0;
    size += (parts[i] as Buffer).length;
    const fill = i === parts.length - 1 ? undefined : fills[i];
    if (fill === undefined || fill.length === 0) continue;
    storedBlocks(fill, chunks);
    crc = crc32(fill, crc);
    size += fill.length;
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  chunks.push(trailer);
  return Buffer.concat(chunks);
}

/**
 * A gzip body with one text left open (gzipTextTemplate): every open place (e.g. every CSRF hole)
 * takes the same per-request text. Everything fixed is compressed once; per request only that text
 * is put in (as stored blocks) and the trailer computed: fillGzipTemplate.
 */
export interface GzipTemplate {
  /** Compressed bytes between the open places (the first starts with the gzip header). */
  segments: Buffer[];
  crcs: number[];
  shifts: number[];
  /** Length of the text each segment holds. */
  sizes: number[];
  /** The CRC operator for the last open text's length (tokens all have the same length). */
  textShift?: number;
  textLength?: number;
  /** The one length the open text may have: later segments' back-reference distances count it. */
  openLength: number;
}

/**
 * A byte that never occurs in UTF-8 text (0xFF): it stands in for the open text in the dictionaries of
 * gzipTextTemplate. A back-reference copies bytes equal to the ones it replaces, so none can reach it.
 */
const NEVER_IN_TEXT = 0xff;
const WINDOW_BYTES = 32 * 1024;

/**
 * A gzip template over UTF-8 texts with one open place between each two, compressed as one page:
 * each text is deflated with the last 32 KiB before it as its dictionary, the open places in it
 * standing as `openLength` bytes of NEVER_IN_TEXT. Its back-references then reach into the earlier
 * texts (markup repeats across a page: a product page is a quarter smaller than from texts deflated
 * one by one), and never into an open place, so any text of that length can be put in there per
 * request (fillGzipTemplate, which refuses any other length: the distances count it).
 */
export function gzipTextTemplate(texts: readonly Buffer[], openLength: number): GzipTemplate {
  const template: GzipTemplate = { segments: [], crcs: [], shifts: [], sizes: [], openLength };
  const standIn = Buffer.alloc(openLength, NEVER_IN_TEXT);
  let before = Buffer.alloc(0);
  texts.forEach((text, i) => {
    const last = i === texts.length - 1;
    const options = { level: 9, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH };
    const block = deflateRawSync(text, i === 0 ? options : { ...options, dictionary: before });
    template.segments.push(i === 0 ? Buffer.concat([GZIP_HEADER, block]) : block);
    template.crcs.push(text.length === 0 ? 0 : crc32(text));
    template.shifts.push(x2nmodp(text.length, 3));
    template.sizes.push(text.length);
    if (!last) before = Buffer.concat([before, text, standIn]).subarray(-WINDOW_BYTES);
  });
  return template;
}

/**
 * Bodies made per request (fillGzipTemplate, which writes every byte) are cut from 64 KiB slabs: a
 * new ArrayBuffer every ~18 pages instead of every other one (Node's own pool is 8 KiB). Each piece
 * is handed out once; a slab is freed when the last response cut from it has been sent.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabAt = 0;
function bodyBuffer(length: number): Buffer {
  if (length > SLAB_BYTES / 4) return Buffer.allocUnsafe(length);
  if (slabAt + length > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabAt = 0;
  }
  slabAt += length;
  return slab.subarray(slabAt - length, slabAt);
}

/**
 * The body of a template with `text` (latin1: a CSRF token is ASCII; at most 65,535 characters) in
 * each open place. The CRC is taken over the bytes written, so the trailer always matches the body.
 */
export function fillGzipTemplate(template: GzipTemplate, text: string): Buffer {
  const { segments, crcs, shifts, sizes } = template;
  const n = text.length;
  if (n > STORED_MAX) throw new RangeError('fillGzipTemplate takes at most 65,535 characters');
  const opens = segments.length - 1;
  if (opens > 0 && n !== template.openLength) {
    throw new RangeError(`this template's open text has ${template.openLength} characters (got ${n})`);
  }
  let length = 8;
  for (const segment of segments) length += segment.length;
  length += opens * (5 + n);
  const out = bodyBuffer(length);
  if (template.textShift === undefined || template.textLength !== n) {
    template.textShift = x2nmodp(n, 3);
    template.textLength = n;
  }
  const textShift = template.textShift;
  let textCrc = 0;
  let at = 0;
  let crc = 0;
  let size = 0;
  for (let i = 0; i <= opens; i++) {
    at += (segments[i] as Buffer).copy(out, at);
    crc = (multmodp(shifts[i] as number, crc) ^ (crcs[i] as number)) >>> 0;
    size += sizes[i] as number;
    if (i === opens) break;
    out[at] = 0x00; // a stored block, not final (storedBlocks)
    out.writeUInt16LE(n, at + 1);
    out.writeUInt16LE(~n & 0xffff, at + 3);
    out.write(text, at + 5, 'latin1');
    if (i === 0 && n > 0) textCrc = crc32(out.subarray(at + 5, at + 5 + n));
    at += 5 + n;
    crc = (multmodp(textShift, crc) ^ textCrc) >>> 0;
    size += n;
  }
  out.writeUInt32LE(crc >>> 0, at);
  out.writeUInt32LE(size >>> 0, at + 4);
  return out;
}

/*
 * CRC-32 combination as zlib does it (crc32.c, multmodp/x2nmodp): crc(A‖B) = x^(8·|B|) · crc(A) ⊕
 * crc(B) over GF(2) modulo the CRC polynomial. The operator for each part's length is computed once.
 */
const POLY = 0xedb88320;

function multmodp(a: number, b: number): number {
  if (a === 0) return 0;
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X2N: number[] = [];
for (let k = 0, p = 1 << 30; k < 32; k++, p = multmodp(p, p)) X2N.push(p);

/** x^(n·2^k) modulo the polynomial: with k = 3, the operator for n bytes. */
function x2nmodp(n: number, k: number): number {
  let p = 0x80000000;
  for (; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) p = multmodp(X2N[k & 31] as number, p);
  }
  return p;
}
