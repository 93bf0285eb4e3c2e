import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (the folder holding package.json), found by walking up from this file, so that
 * `views/` and `public/` resolve the same from `src/` (tsx) and from `dist/src/` (npm start).
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root (package.json next to views/)');
    dir = parent;
  }
}

export const projectRoot = findRoot();
export const viewsDir = join(projectRoot, 'views');
export const publicDir = join(projectRoot, 'public');
