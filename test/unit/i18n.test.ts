import { describe, expect, it } from 'vitest';
import { mergeBundles } from '../../src/i18n/catalogs.js';
import { matchLocale, negotiateLocale, resolveLocale } from '../../src/i18n/locales.js';
import { createTranslator } from '../../src/i18n/translate.js';

describe('locale negotiation', () => {
  it('maps tags to our locales', () => {
    expect(matchLocale('pt-br')).toBe('pt-BR');
    expect(matchLocale('pt-PT')).toBe('pt-BR');
    expect(matchLocale('es-MX')).toBe('es');
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('de')).toBeUndefined();
  });

  it('honours q-values and order in Accept-Language', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,es;q=0.8,en;q=0.7')).toBe('es');
    expect(negotiateLocale('en;q=0.5, pt-BR')).toBe('pt-BR');
    expect(negotiateLocale('fr, *;q=0.1')).toBeUndefined();
    expect(negotiateLocale('es;q=0')).toBeUndefined();
    expect(negotiateLocale(undefined)).toBeUndefined();
  });

  it('prefers the cookie, then the header, then English', () => {
    expect(resolveLocale('es', 'pt-BR')).toBe('es');
    expect(resolveLocale('xx', 'pt-BR')).toBe('pt-BR');
    expect(resolveLocale(undefined, 'de')).toBe('en');
  });
});

describe('translator', () => {
  it('fills parameters and formats numbers for the locale', () => {
    const t = createTranslator('pt-BR');
    expect(t('home.heading', { shop: 'Loja' })).toBe('Bem-vindo à Loja');
    expect(createTranslator('en')('header.cartCount', { count: 1200 })).toBe('1,200 items');
  });

  it('chooses the plural form from count', () => {
    const es = createTranslator('es');
    expect(es('header.cartCount', { count: 1 })).toBe('1 artículo');
    expect(es('header.cartCount', { count: 3 })).toBe('3 artículos');
  });

  it('translates a message given as a parameter, each count with its own plural form', () => {
    const nested = (menuLinks: number, sections: number) => ({
      links: { key: 'adminStructure.categories.menuLinks', params: { count: menuLinks } },
      sections: { key: 'adminStructure.categories.homeSections', params: { count: sections } },
    });
    expect(createTranslator('en')('adminStructure.categories.deletedWithRefs', nested(1, 2))).toBe('Category deleted. 1 menu link and 2 home page sections that pointed to it were updated.');
    expect(createTranslator('pt-BR')('adminStructure.categories.deletedWithRefs', nested(2, 1))).toBe('Categoria apagada. 2 links do menu e 1 seção da página inicial que apontavam para ela foram atualizados.');
    expect(createTranslator('es')('adminStructure.categories.deletedWithRefs', nested(1, 1))).toBe('Categoría borrada. Se actualizaron 1 enlace del menú y 1 sección de la página de inicio que apuntaban a ella.');
  });

  it('shows the key itself when a message is missing', () => {
    expect(createTranslator('es')('no.such.key')).toBe('no.such.key');
  });

  it('refuses two bundles defining the same key', () => {
    const bundle = { en: { a: 'A' }, 'pt-BR': { a: 'A' }, es: { a: 'A' } };
    expect(() => mergeBundles([bundle, bundle])).toThrow(/Duplicate translation key "a"/);
  });
});
