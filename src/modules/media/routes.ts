import type { FastifyPluginAsync } from 'fastify';
import { ObjectId } from 'mongodb';
import { NotFoundError } from '../../lib/errors.js';
import type { AppModule, ModuleContext } from '../types.js';
import { mediaIndexes } from './repository.js';
import { FORMAT_EXTENSIONS } from './types.js';
import { variantWidths } from './widths.js';

const ID = /^[0-9a-f]{24}$/;
/** "<width>.<ext>": 1–4 digits without a leading zero; only our own extensions. */
const FILE = /^([1-9][0-9]{0,3})\.(webp|jpg|png)$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** If-None-Match may list several tags, or "*"; weak tags compare equal to strong ones here. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * GET /media/:id/:width.:ext — a stored copy of an image, streamed from GridFS, cacheable for a
 * year. Anything malformed or unknown is a 404 (never a 500); a fallback URL with the wrong
 * extension (jpg for a png image) answers 301 to the right one. Registered as public routes,
 * outside the session: an image request never reads or writes a session, nor sets a cookie.
 */
const routes: FastifyPluginAsync<ModuleContext> = async (app, { services }) => {
  app.get<{ Params: { id: string; file: string } }>('/media/:id/:file', async (request, reply) => {
    const { id, file } = request.params;
    const match = FILE.exec(file);
    if (!ID.test(id) || match === null) throw new NotFoundError('No such media');
    const mediaId = new ObjectId(id);
    const width = Number(match[1]);
    const extension = match[2] ?? '';

    const variant = await services.media.findVariant(mediaId, width, extension);
    if (variant === null) {
      if (extension !== 'webp') {
        const info = (await services.media.imageInfo([mediaId])).get(id);
        const rightExtension = info ? FORMAT_EXTENSIONS[info.format] : undefined;
        if (info && rightExtension !== extension && variantWidths(info.width).includes(width)) {
          reply.header('cache-control', IMMUTABLE);
          return reply.redirect(`/media/${id}/${width}.${rightExtension}`, 301);
        }
      }
      throw new NotFoundError('No such media');
    }

    const etag = `"${variant.fileId.toHexString()}"`;
    reply.header('etag', etag);
    reply.header('cache-control', IMMUTABLE);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    reply.header('content-type', variant.contentType);
    reply.header('content-length', variant.length);
    reply.header('x-content-type-options', 'nosniff');
    return reply.send(services.media.openVariant(variant));
  });
};

export const mediaModule: AppModule = { name: 'media', routes: async () => undefined, publicRoutes: routes, indexes: mediaIndexes };
