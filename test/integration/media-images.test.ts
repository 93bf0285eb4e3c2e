import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppModule } from '../../src/modules/types.js';
import { ImageRejectedError } from '../../src/modules/media/image-processing.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // A route that opens a session, so the media responses can be checked for a visitor who has one.
  const sessionModule: AppModule = {
    name: 'test-session',
    routes: async (app) => {
      app.get('/test/session', async (request) => {
        request.session.set('flash', []);
        return 'ok';
      });
    },
  };
  t = await createTestApp({ extraModules: [sessionModule] });
});
afterAll(async () => {
  await t?.close();
});

async function testImage(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const base = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });
  return format === 'png' ? base.png().toBuffer() : base.jpeg().toBuffer();
}

describe('storeImage and GET /media/:id/:width.:ext', () => {
  it('stores WebP and original-format copies at widths not above the original, served with the right type', async () => {
    const stored = await t.services.media.storeImage(await testImage(700, 350, 'png'), { filename: 'banner.png', alt: 'A banner' });
    expect(stored).toMatchObject({ width: 700, height: 350, format: 'png' });
    const id = stored.id.toHexString();

    for (const [width, ext, type] of [
      [320, 'webp', 'image/webp'],
      [640, 'png', 'image/png'],
      [700, 'webp', 'image/webp'],
      [700, 'png', 'image/png'],
    ] as const) {
      const res = await t.app.inject(`/media/${id}/${width}.${ext}`);
      expect(res.statusCode, `${width}.${ext}`).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(res.rawPayload).metadata();
      expect(meta.format).toBe(ext);
      expect(meta.width).toBe(width);
      expect(meta.height).toBe(Math.round((350 * width) / 700));
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    }
    // Not larger than the original, and only the widths we make.
    expect((await t.app.inject(`/media/${id}/960.webp`)).statusCode).toBe(404);
    expect((await t.app.inject(`/media/${id}/500.webp`)).statusCode).toBe(404);
  });

  it('answers 304 to a matching If-None-Match, and never sets a cookie', async () => {
    const { id } = await t.services.media.storeImage(await testImage(400, 400, 'jpeg'), { filename: 'a.jpg' });
    const url = `/media/${id.toHexString()}/320.jpg`;
    const first = await t.app.inject(url);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(first.headers['set-cookie']).toBeUndefined();
    // Even for a visitor with a session (rolling sessions would otherwise re-send the cookie).
    const agent = new TestAgent(t.app);
    await agent.get('/test/session');
    expect(agent.cookies.has('sid')).toBe(true);
    expect((await agent.get(url)).headers['set-cookie']).toBeUndefined();

    const again = await t.app.inject({ url, headers: { 'if-none-match': `"nope", ${etag}` } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const other = await t.app.inject({ url, headers: { 'if-none-match': '"0123"' } });
    expect(other.statusCode).toBe(200);
    // Each copy has its own tag.
    expect((await t.app.inject(`/media/${id.toHexString()}/320.webp`)).headers.etag).not.toBe(etag);
  });

  it('redirects a fallback URL with the wrong extension to the stored format', async () => {
    const { id } = await t.services.media.storeImage(await testImage(500, 500, 'png'), { filename: 'p.png' });
    const res = await t.app.inject(`/media/${id.toHexString()}/320.jpg`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/media/${id.toHexString()}/320.png`);
  });

  it.each([
    '/media/000000000000000000000000/320.webp',
    '/media/not-an-id/320.webp',
    '/media/0123456789abcdef0123456/320.webp',
    '/media/0123456789abcdef01234567/abc.webp',
    '/media/0123456789abcdef01234567/0320.webp',
    '/media/0123456789abcdef01234567/320.gif',
    '/media/0123456789abcdef01234567/320',
    '/media/0123456789abcdef01234567/99999.webp',
    '/media/..%2F..%2Fpackage.json/320.webp',
    '/media/0123456789abcdef01234567/..%2F320.webp',
    '/media/0123456789abcdef01234567',
  ])('answers 404 (not 500) for %s', async (url) => {
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(404);
  });

  it('rejects a file that is not an image, an SVG, and an empty file with a typed 422 error', async () => {
    const attempts: [Buffer, string][] = [
      [Buffer.from('%PDF-1.4 definitely not an image'), 'not-an-image'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 'unsupported-format'],
      [Buffer.alloc(0), 'empty'],
    ];
    for (const [buffer, reason] of attempts) {
      const error = await t.services.media.storeImage(buffer, { filename: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageRejectedError);
      expect((error as ImageRejectedError).reason).toBe(reason);
      expect((error as ImageRejectedError).status).toBe(422);
    }
  });

  it('rejects files over 10 MB and images with huge dimensions', async () => {
    const big = Buffer.concat([await testImage(10, 10, 'png'), Buffer.alloc(10 * 1024 * 1024)]);
    await expect(t.services.media.storeImage(big, { filename: 'big.png' })).rejects.toMatchObject({ reason: 'too-large', status: 422 });
    // A tiny file that claims 9000×9000: refused from the header, before any pixel is decoded.
    const huge = await sharp({ create: { width: 9000, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    await expect(t.services.media.storeImage(huge, { filename: 'wide.png' })).rejects.toMatchObject({ reason: 'too-many-pixels' });
  });

  it('applies EXIF orientation and strips metadata from the served copies', async () => {
    const rotated = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#08f' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const stored = await t.services.media.storeImage(rotated, { filename: 'phone.jpg' });
    expect(stored).toMatchObject({ width: 200, height: 400 });
    const res = await t.app.inject(`/media/${stored.id.toHexString()}/200.jpg`);
    const meta = await sharp(res.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    expect(meta.exif).toBeUndefined();
  });

  it('keeps downloadable files private: stored and readable by the service, not under /media', async () => {
    const file = await t.services.media.storeDownload(Buffer.from('%PDF-1.4 guide'), { filename: '../guide.pdf', contentType: 'application/pdf' });
    expect(file).toMatchObject({ fileName: 'guide.pdf', size: 14 });
    const opened = await t.services.media.openDownload(file.fileId);
    const chunks: Buffer[] = [];
    for await (const chunk of opened?.stream ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 guide');
    expect(opened?.contentType).toBe('application/pdf');
    expect((await t.app.inject(`/media/${file.fileId.toHexString()}/320.webp`)).statusCode).toBe(404);
  });
});
