import { describe, expect, it } from 'vitest';
import { fold } from '../../src/lib/fold.js';
import { sortTitleOf } from '../../src/modules/catalog/translated.js';

describe('fold', () => {
  it('ignores case and accents (NFC or NFD input alike)', () => {
    expect(fold('Élan Vase')).toBe('elan vase');
    expect(fold('E\u0301CLAIR')).toBe('eclair');
    expect(fold('Ação Çedilha')).toBe('acao cedilha');
  });
});

describe('sortTitleOf (a product’s stored sort key for the admin list)', () => {
  it('folds the English title', () => {
    expect(sortTitleOf({ en: 'Zebra Chair', es: 'Silla cebra' })).toBe('zebra chair');
  });

  it('falls back to the first title present in the shop’s language order when there is no English one', () => {
    expect(sortTitleOf({ en: '', 'pt-BR': 'Ótimo vaso', es: 'Árbol' })).toBe('otimo vaso');
    expect(sortTitleOf({ es: 'Árbol' })).toBe('arbol');
  });

  it('is empty for a missing or malformed stored title', () => {
    expect(sortTitleOf(undefined)).toBe('');
    expect(sortTitleOf({})).toBe('');
    expect(sortTitleOf({ en: 42, es: 'Número' })).toBe('numero');
  });

  it('orders as staff expect: case and accents do not split the list', () => {
    const titles = ['Zebra chair', 'apple lamp', 'Élan vase', 'banana bowl', 'éclair mug'];
    expect(titles.map((t) => sortTitleOf({ en: t })).sort()).toEqual(['apple lamp', 'banana bowl', 'eclair mug', 'elan vase', 'zebra chair']);
  });
});
