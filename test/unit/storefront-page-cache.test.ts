import { describe, expect, it } from 'vitest';
import { collapseWhitespace, type PageShell } from '../../src/plugins/view.js';
import { createPageCache } from '../../src/modules/storefront/page-cache.js';

function shell(text: string): PageShell {
  return { parts: [Buffer.from(text)], holes: [], bytes: text.length };
}

function setup(options: { maxEntries?: number; maxBytes?: number } = {}) {
  let generation = {};
  let clock = 0;
  let builds = 0;
  const cache = createPageCache({ generation: async () => generation, now: () => clock, maxAgeMs: 60_000, ...options });
  const build = (text: string) => async () => {
    builds++;
    return { shell: shell(text) };
  };
  return {
    cache,
    build,
    builds: () => builds,
    advance: (ms: number) => (clock += ms),
    bump: () => (generation = {}),
  };
}

const text = async (p: Promise<{ shell: PageShell } | { once: unknown }>) => {
  const built = await p;
  return 'shell' in built ? Buffer.concat(built.shell.parts).toString() : built.once;
};

describe('page cache', () => {
  it('builds a page once, for concurrent requests too, until its time to live ends', async () => {
    const s = setup();
    const [a, b] = await Promise.all([text(s.cache.get('k', 1000, s.build('v1'))), text(s.cache.get('k', 1000, s.build('v2')))]);
    expect([a, b]).toEqual(['v1', 'v1']);
    s.advance(999);
    expect(await text(s.cache.get('k', 1000, s.build('v3')))).toBe('v1');
    s.advance(2);
    expect(await text(s.cache.get('k', 1000, s.build('v4')))).toBe('v4');
    expect(s.builds()).toBe(2);
  });

  it('drops every page when the generation changes (catalog data changed)', async () => {
    const s = setup();
    await s.cache.get('a', undefined, s.build('a1'));
    s.bump();
    expect(await text(s.cache.get('a', undefined, s.build('a2')))).toBe('a2');
  });

  it('never keeps what is sent once (redirects, error pages) nor failures', async () => {
    const s = setup();
    expect(await text(s.cache.get('r', undefined, async () => ({ once: 'redirect' })))).toBe('redirect');
    await expect(s.cache.get('f', undefined, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(s.cache.size()).toBe(0);
    expect(await text(s.cache.get('f', undefined, s.build('ok')))).toBe('ok');
  });

  it('evicts the oldest pages past the count and memory bounds', async () => {
    const s = setup({ maxEntries: 2, maxBytes: 100 });
    for (const k of ['a', 'b', 'c']) await s.cache.get(k, undefined, s.build(k));
    await Promise.resolve();
    expect(s.cache.size()).toBe(2);
    expect(await text(s.cache.get('a', undefined, s.build('a-again')))).toBe('a-again');
    await s.cache.get('big', undefined, s.build('x'.repeat(200)));
    await Promise.resolve();
    expect(s.cache.bytes()).toBeLessThanOrEqual(100);
  });
});

describe('collapseWhitespace', () => {
  it('collapses indentation between lines but keeps <pre> and <textarea> as written', () => {
    const html = '<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>\n<pre>  x\n    y</pre>\n  <textarea>\n  t</textarea>';
    expect(collapseWhitespace(html)).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre>  x\n    y</pre>\n<textarea>\n  t</textarea>');
  });
});
