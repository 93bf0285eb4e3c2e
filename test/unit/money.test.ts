import { describe, expect, it } from 'vitest';
import { addMoney, formatMoney, minorUnitDigits, money, multiplyMoney, parseMoneyInput, sumMoney } from '../../src/lib/money.js';
import { formatDate, formatNumber } from '../../src/lib/format.js';

// Intl output contains narrow/no-break spaces depending on ICU: compare with plain spaces.
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('formats minor units for each locale', () => {
    expect(plain(formatMoney(money(1999, 'EUR'), 'en'))).toBe('€19.99');
    expect(plain(formatMoney(money(123456, 'BRL'), 'pt-BR'))).toBe('R$ 1.234,56');
    expect(plain(formatMoney(money(1999, 'EUR'), 'es'))).toBe('19,99 €');
    expect(plain(formatMoney(money(500, 'JPY'), 'en'))).toBe('¥500');
  });

  it('knows the minor unit digits of a currency', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
  });

  it('refuses fractions and bad currencies, and mixing currencies', () => {
    expect(() => money(19.99, 'EUR')).toThrow(RangeError);
    expect(() => money(100, 'eur')).toThrow(RangeError);
    expect(() => addMoney(money(1, 'EUR'), money(1, 'BRL'))).toThrow(/mismatch/);
  });

  it('adds, multiplies and sums in integers', () => {
    expect(addMoney(money(10, 'EUR'), money(20, 'EUR'))).toEqual(money(30, 'EUR'));
    expect(multiplyMoney(money(333, 'EUR'), 3)).toEqual(money(999, 'EUR'));
    expect(sumMoney([money(1, 'EUR'), money(2, 'EUR')], 'EUR')).toEqual(money(3, 'EUR'));
    expect(sumMoney([], 'EUR')).toEqual(money(0, 'EUR'));
  });

  it('parses what people type in a price field', () => {
    expect(parseMoneyInput('19.99', 'EUR')).toEqual(money(1999, 'EUR'));
    expect(parseMoneyInput('19,99', 'EUR')).toEqual(money(1999, 'EUR'));
    expect(parseMoneyInput('1.299,5', 'BRL')).toEqual(money(129950, 'BRL'));
    expect(parseMoneyInput('1,299.00', 'USD')).toEqual(money(129900, 'USD'));
    expect(parseMoneyInput(' 20 ', 'EUR')).toEqual(money(2000, 'EUR'));
    expect(parseMoneyInput('500', 'JPY')).toEqual(money(500, 'JPY'));
    expect(parseMoneyInput('abc', 'EUR')).toBeUndefined();
    expect(parseMoneyInput('', 'EUR')).toBeUndefined();
    expect(parseMoneyInput('1e5', 'EUR')).toBeUndefined();
  });
});

describe('dates and numbers', () => {
  it('formats for the locale', () => {
    const d = new Date(Date.UTC(2024, 2, 5, 12));
    expect(formatDate(d, 'en')).toBe('Mar 5, 2024');
    expect(formatDate(d, 'pt-BR')).toBe('5 de mar. de 2024');
    expect(formatDate(d, 'es', 'short')).toBe('5/3/24');
    expect(formatNumber(1234.5, 'pt-BR')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
});

describe('remembered formats', () => {
  it("gives a UTC date's text for any time of its day, and the next day's after midnight", () => {
    const morning = formatDate(new Date('2026-03-05T00:00:01Z'), 'en');
    expect(formatDate(new Date('2026-03-05T23:59:59.999Z'), 'en')).toBe(morning);
    expect(formatDate(new Date('2026-03-06T00:00:00Z'), 'en')).not.toBe(morning);
    expect(formatDate(new Date('2026-03-05T12:00:00Z'), 'pt-BR', 'short')).toBe(new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeZone: 'UTC' }).format(new Date('2026-03-05T12:00:00Z')));
    // In another time zone the same UTC day spans two local days.
    expect(formatDate(new Date('2026-03-05T01:00:00Z'), 'en', 'medium', 'America/Sao_Paulo')).toBe('Mar 4, 2026');
    expect(formatDate(new Date('2026-03-05T23:00:00Z'), 'en', 'medium', 'America/Sao_Paulo')).toBe('Mar 5, 2026');
    expect(() => formatDate(new Date(Number.NaN), 'en')).toThrow(RangeError);
  });

  it('formats every amount as Intl does, past the number of texts it keeps', () => {
    for (let amount = -50; amount < 12_050; amount += 1) {
      for (const [locale, currency] of [['en', 'EUR'], ['pt-BR', 'BRL']] as const) {
        if (amount % 997 !== 0 && currency === 'BRL') continue;
        const direct = new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 100);
        expect(formatMoney(money(amount, currency), locale)).toBe(direct);
      }
    }
    expect(plain(formatMoney(money(500, 'JPY'), 'en'))).toBe('¥500');
  });
});
