import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ASSET_PREFIX, type AssetManifest } from '../web/assets.js';

export interface StaticFilesOptions {
  publicDir: string;
  assets: AssetManifest;
}

const ONE_YEAR_MS = 31_536_000_000;

/**
 * public/ as it is (ETag, Last-Modified, 304, revalidated on each use) and /assets/<name>.<hash>.<ext>
 * (immutable for a year). Registered as its own encapsulated context, outside the session: serving a
 * file never touches the database.
 */
const staticFiles: FastifyPluginAsync<StaticFilesOptions> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.publicDir,
    prefix: '/',
    // One route per existing file: unknown paths fall through to the regular 404 page.
    wildcard: false,
    index: false,
    etag: true,
    lastModified: true,
    maxAge: 0,
    dotfiles: 'ignore',
  });

  app.get<{ Params: { '*': string } }>(`${ASSET_PREFIX}*`, async (request, reply) => {
    const path = options.assets.resolve(request.params['*']);
    if (path === undefined) return reply.callNotFound();
    return reply.sendFile(path, { maxAge: ONE_YEAR_MS, immutable: true });
  });
};

export default staticFiles;
