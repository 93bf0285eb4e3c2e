import { describe, expect, it } from 'vitest';
import { checkPostalCode, validateAddress } from '../../src/modules/accounts/addresses.js';
import { checkNewPassword, commonPasswords, isCommonPassword } from '../../src/modules/accounts/passwords.js';
import { delayMs } from '../../src/modules/accounts/throttle.js';

describe('postal codes', () => {
  it.each([
    ['BR', '01310-100', true], ['BR', '01310100', true], ['BR', '0131-0100', false],
    ['US', '94103', true], ['US', '94103-1234', true], ['US', '9410', false], ['US', '94103-12', false],
    ['ES', '28013', true], ['ES', '01001', true], ['ES', '52001', true], ['ES', '53001', false], ['ES', '00123', false], ['ES', '2801', false],
    ['PT', '1100-148', true], ['PT', '1100148', false], ['PT', '110-1480', false],
  ])('%s %s → %s', (country, code, ok) => {
    expect(checkPostalCode(country, code) === undefined).toBe(ok);
  });

  it('accepts a BR code without hyphen by normalising it', () => {
    const r = validateAddress({ fullName: 'A', line1: 'B', line2: '', city: 'C', region: 'SP', postalCode: '01310100', country: 'BR', phone: '' });
    expect('address' in r && r.address.postalCode).toBe('01310-100');
  });

  it('requires the fields and the region where a label needs it', () => {
    const r = validateAddress({ fullName: ' ', line1: '', line2: '', city: '', region: '', postalCode: '', country: 'US', phone: 'abc' });
    expect('errors' in r && r.errors.map((e) => e.field).sort()).toEqual(['city', 'fullName', 'line1', 'phone', 'postalCode', 'region']);
  });
});

describe('password rules', () => {
  it('knows the common list (case-insensitive) and has 10,000 entries loaded', () => {
    expect(isCommonPassword('1234567890')).toBe(true);
    expect(isCommonPassword('QWERTYUIOP')).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
    const list = commonPasswords();
    expect(list.size).toBe(10_000);
    // Lookups lowercase the password, so an entry with a capital letter could never match.
    expect([...list].filter((p) => p !== p.toLowerCase() || p.trim() !== p)).toEqual([]);
  });

  it('counts characters as the user sees them and refuses the email', () => {
    expect(checkNewPassword('😀😀😀😀😀😀😀😀😀', 'a@b.co')[0]?.messageKey).toBe('accounts.password.tooShort');
    expect(checkNewPassword('😀😀😀😀😀😀😀😀😀😀', 'a@b.co')).toEqual([]);
    expect(checkNewPassword('Someone@Example.com', 'someone@example.com')[0]?.messageKey).toBe('accounts.password.isEmail');
  });
});

describe('throttle delays', () => {
  it('grows after the free failures and is capped', () => {
    const rule = { free: 3, lockAfter: 10 };
    expect([0, 2, 3, 4, 5, 9, 20].map((n) => delayMs(n, rule, 30_000))).toEqual([0, 0, 1000, 2000, 4000, 30_000, 30_000]);
  });
});
