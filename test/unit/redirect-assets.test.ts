import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeLocalPath } from '../../src/lib/redirect.js';
import { createAssetManifest } from '../../src/web/assets.js';

describe('safeLocalPath', () => {
  it('keeps local paths and refuses anything that leaves the site', () => {
    expect(safeLocalPath('/search?q=a')).toBe('/search?q=a');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/a\r\nSet-Cookie: x=1', '', 42]) {
      expect(safeLocalPath(bad)).toBe('/');
    }
  });
});

describe('asset manifest', () => {
  it('hashes by content and resolves only the current hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-assets-'));
    mkdirSync(join(dir, 'css'));
    writeFileSync(join(dir, 'css', 'a.css'), 'body{}');
    const manifest = createAssetManifest(dir, { cache: false });
    const url = manifest.url('css/a.css');
    expect(url).toMatch(/^\/assets\/css\/a\.[0-9a-f]{10}\.css$/);
    expect(manifest.resolve(url.slice('/assets/'.length))).toBe('css/a.css');

    writeFileSync(join(dir, 'css', 'a.css'), 'body{color:red}');
    const next = createAssetManifest(dir, { cache: false }).url('css/a.css');
    expect(next).not.toBe(url);
    expect(manifest.resolve('css/a.0123456789.css')).toBeUndefined();
    expect(manifest.resolve('../package.0123456789.json')).toBeUndefined();
    expect(() => manifest.url('../secrets.json')).toThrow();
  });
});
