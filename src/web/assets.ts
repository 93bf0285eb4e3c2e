import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content-hashed asset URLs: asset('css/site.css') → '/assets/css/site.3f2a9c1b0d.css'.
 * The hashed URL never changes content, so it is served with a one-year immutable cache; a new
 * file content gives a new URL. Only files under these folders of public/ are fingerprinted.
 */
export const ASSET_FOLDERS = ['css', 'img', 'fonts'] as const;
export const ASSET_PREFIX = '/assets/';
const HASH_LENGTH = 10;

export interface AssetManifest {
  /** Hashed URL for a path relative to public/ ("css/site.css"). Throws for an unknown file. */
  url(path: string): string;
  /** For a request below /assets/ ("css/site.<hash>.css"): the real path relative to public/, if current. */
  resolve(hashedPath: string): string | undefined;
}

interface Entry {
  hash: string;
  mtimeMs: number;
}

const SAFE_PATH = new RegExp(`^(?:${ASSET_FOLDERS.join('|')})/(?:[\\w-]+/)*[\\w-]+(?:\\.[\\w-]+)*\\.\\w+$`);

export function createAssetManifest(publicDir: string, options: { cache: boolean }): AssetManifest {
  const entries = new Map<string, Entry>();

  function hashOf(path: string): string {
    if (!SAFE_PATH.test(path) || path.includes('..')) throw new Error(`Not an asset path: ${path}`);
    const file = join(publicDir, path);
    const cached = entries.get(path);
    // In production a file never changes while the process runs; in development it may.
    if (cached && options.cache) return cached.hash;
    const mtimeMs = statSync(file).mtimeMs;
    if (cached && cached.mtimeMs === mtimeMs) return cached.hash;
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, HASH_LENGTH);
    entries.set(path, { hash, mtimeMs });
    return hash;
  }

  return {
    url(path) {
      const hash = hashOf(path);
      const dot = path.lastIndexOf('.');
      return `${ASSET_PREFIX}${path.slice(0, dot)}.${hash}${path.slice(dot)}`;
    },
    resolve(hashedPath) {
      const m = new RegExp(`^(.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.\\w+)$`).exec(hashedPath);
      if (!m) return undefined;
      const path = `${m[1]}${m[3]}`;
      if (!SAFE_PATH.test(path) || path.includes('..')) return undefined;
      try {
        return hashOf(path) === m[2] ? path : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
