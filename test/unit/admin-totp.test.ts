import { describe, expect, it } from 'vitest';
import { currentCode, hashRecoveryCode, matchingStep, newRecoveryCodes, newTotpSecret, otpauthUri } from '../../src/modules/staff-security/totp.js';

describe('TOTP and recovery codes', () => {
  // RFC 6238 test secret "12345678901234567890" in base32, at T = 59 s: 287082 (6 digits of 94287082).
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('matches the RFC 6238 test vector and accepts one step of drift', () => {
    const at = new Date(59_000);
    expect(currentCode(RFC_SECRET, at)).toBe('287082');
    expect(matchingStep(RFC_SECRET, '287082', at)).toBe(1);
    expect(matchingStep(RFC_SECRET, '287 082', new Date(59_000 + 30_000))).toBe(1);
    expect(matchingStep(RFC_SECRET, '287082', new Date(59_000 + 90_000))).toBeNull();
    expect(matchingStep(RFC_SECRET, '28708', at)).toBeNull();
  });

  it('makes secrets and URIs an authenticator app imports', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(otpauthUri(secret, 'ana@example.com', 'Vitrine'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Vitrine');
  });

  it('makes 10 distinct recovery codes, hashed the same whatever the case or dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const code = codes[0] ?? '';
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).not.toBe(hashRecoveryCode(codes[1] ?? ''));
  });
});
