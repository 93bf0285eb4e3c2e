import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { isSafeLinkTarget, markdownToText, renderMarkdown } from '../../src/lib/markdown.js';
import { excerpt, highlight, searchTerms } from '../../src/modules/storefront/highlight.js';
import { jsonForScript } from '../../src/modules/storefront/seo.js';

describe('markdown', () => {
  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'vbscript:x', 'data:text/html,x', '//evil.example/x'])(
    'refuses the link target %j',
    (href) => {
      expect(isSafeLinkTarget(href)).toBe(false);
      expect(parse(renderMarkdown(`[x](${href})`)).querySelectorAll('a')).toHaveLength(0);
    },
  );

  it.each(['https://example.com', 'http://example.com/a?b', 'mailto:a@b.c', '/c/shirts', '#top', 'page.html'])('keeps the link target %j', (href) => {
    expect(parse(renderMarkdown(`[x](${href})`)).querySelector('a')?.getAttribute('href')).toBe(href);
  });

  it('shows raw HTML as text and marks external links', () => {
    const html = renderMarkdown('<b onclick=x>hi</b> [a](https://example.com)');
    const doc = parse(html);
    expect(doc.querySelectorAll('b')).toHaveLength(0);
    expect(doc.text).toContain('<b onclick=x>hi</b>');
    expect(doc.querySelector('a')?.getAttribute('rel')).toBe('noopener nofollow');
    expect(markdownToText('# Title\n\nSome **bold** & <b>')).toBe('Title Some bold & <b>');
  });
});

describe('search highlighting', () => {
  it('marks matched words, folding case and accents, and escapes everything else', () => {
    const terms = searchTerms('CAFE -cup <b>');
    expect(terms).toEqual(['cafe', 'b']);
    expect(highlight('Café & <b>tea</b>', ['cafe'])).toBe('<mark>Café</mark> &amp; &lt;b&gt;tea&lt;/b&gt;');
    expect(highlight('Shirts', ['shirt'])).toBe('<mark>Shirts</mark>');
    expect(excerpt('a '.repeat(200) + 'linen shirt', ['linen'])).toContain('<mark>linen</mark>');
  });

  it('serialises JSON-LD so it cannot end the script element', () => {
    const out = jsonForScript({ name: '</script><!-- & \u2028' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ name: '</script><!-- & \u2028' });
  });
});
