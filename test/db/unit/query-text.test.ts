import { describe, expect, it } from 'vitest';
import { parseTextSearch, tokenize } from '../../../src/db/embedded/query/text.js';

describe('tokenize', () => {
  it('lower-cases, removes diacritics, splits on non-letters', () => {
    expect(tokenize('Café, AÇÃO! naïve-test 42x')).toEqual(['cafe', 'acao', 'naive', 'test', '42x']);
    expect(tokenize('  ...  ')).toEqual([]);
  });
});

describe('parseTextSearch', () => {
  it('terms, quoted phrases and negations (docs: $text $search)', () => {
    expect(parseTextSearch('coffee -shop "Café Latte" tea')).toEqual({ terms: ['cafe', 'latte', 'coffee', 'tea'], phrases: ['cafe latte'], negated: ['shop'] });
    expect(parseTextSearch('bake coffee cake')).toEqual({ terms: ['bake', 'coffee', 'cake'], phrases: [], negated: [] });
  });
});
