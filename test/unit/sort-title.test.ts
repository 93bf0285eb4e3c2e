import { describe, expect, it } from 'vitest';
import { fold } from '../../src/lib/fold.js';
import { pick, sortTitlesOf } from '../../src/modules/catalog/translated.js';

describe('fold', () => {
  it('ignores case and accents (NFC or NFD input alike)', () => {
    expect(fold('Élan Vase')).toBe('elan vase');
    expect(fold('E\u0301CLAIR')).toBe('eclair');
    expect(fold('Ação Çedilha')).toBe('acao cedilha');
  });
});

describe('sortTitlesOf (a product’s stored sort keys, one per language of the shop)', () => {
  it('folds the title shown in each language', () => {
    expect(sortTitlesOf({ en: 'Zebra Chair', 'pt-BR': 'Cadeira Zebra', es: 'Silla cebra' })).toEqual({ en: 'zebra chair', 'pt-BR': 'cadeira zebra', es: 'silla cebra' });
  });

  it('falls back to the English title where a language has none, as the storefront shows it (pick)', () => {
    const title = { en: 'Tree Stand', 'pt-BR': '', es: 'Árbol' };
    expect(sortTitlesOf(title)).toEqual({ en: 'tree stand', 'pt-BR': 'tree stand', es: 'arbol' });
    expect(sortTitlesOf(title)['pt-BR']).toBe(fold(pick(title, 'pt-BR')));
    expect(sortTitlesOf({ en: 'Éclair' })).toEqual({ en: 'eclair', 'pt-BR': 'eclair', es: 'eclair' });
  });

  it('is empty where nothing is shown, and tolerates a missing or malformed stored title', () => {
    expect(sortTitlesOf({ en: '', es: 'Árbol' })).toEqual({ en: '', 'pt-BR': '', es: 'arbol' });
    expect(sortTitlesOf(undefined)).toEqual({ en: '', 'pt-BR': '', es: '' });
    expect(sortTitlesOf({})).toEqual({ en: '', 'pt-BR': '', es: '' });
    expect(sortTitlesOf({ en: 42, es: 'Número', 'pt-BR': null })).toEqual({ en: '', 'pt-BR': '', es: 'numero' });
  });

  it('orders as shoppers and staff expect: case and accents do not split the list', () => {
    const titles = ['Zebra', 'árvore', 'Árbol', 'banana', 'Éclair', 'elan'];
    expect(titles.map((es) => sortTitlesOf({ en: 'x', es }).es).sort()).toEqual(['arbol', 'arvore', 'banana', 'eclair', 'elan', 'zebra']);
  });
});
