import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../src/i18n/catalogs.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { projectRoot } from '../../src/paths.js';

const PLURAL_SUFFIX = /\.(zero|one|two|few|many|other)$/;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

/** Every quoted string in the code and templates (catalog files excluded: they define, not use). */
function quotedStrings(): Set<string> {
  const files = [...filesUnder(join(projectRoot, 'src'), '.ts'), ...filesUnder(join(projectRoot, 'views'), '.eta')].filter(
    (f) => !relative(projectRoot, f).startsWith(join('src', 'i18n', 'locales') + '/'),
  );
  const found = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(['"`])([\w.-]+)\1/g)) found.add(m[2] ?? '');
  }
  return found;
}

describe('translation catalogs', () => {
  const reference = Object.keys(catalogs.en).sort();

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the keys of en', (locale) => {
    const keys = Object.keys(catalogs[locale]).sort();
    expect(reference.filter((k) => !keys.includes(k)), `missing in ${locale}`).toEqual([]);
    expect(keys.filter((k) => !reference.includes(k)), `extra in ${locale}`).toEqual([]);
  });

  it.each([...LOCALES])('%s has no empty message and keeps the {parameters} of en', (locale) => {
    for (const key of reference) {
      const text = catalogs[locale][key] ?? '';
      expect(text.trim(), `${locale} ${key}`).not.toBe('');
      const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
      expect(params(text), `${locale} ${key}`).toEqual(params(catalogs.en[key] ?? ''));
    }
  });

  it('uses every key somewhere in src/ or views/', () => {
    const used = quotedStrings();
    const unused = reference.filter((key) => !used.has(key) && !used.has(key.replace(PLURAL_SUFFIX, '')));
    expect(unused).toEqual([]);
  });

  it('defines every literal key that the code passes to t()', () => {
    const files = [...filesUnder(join(projectRoot, 'src'), '.ts'), ...filesUnder(join(projectRoot, 'views'), '.eta')];
    const missing: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)) {
        const key = m[2] ?? '';
        if (!(key in catalogs.en) && !(`${key}.other` in catalogs.en)) missing.push(`${relative(projectRoot, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
