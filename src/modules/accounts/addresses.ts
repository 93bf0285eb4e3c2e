import type { FieldError } from '../../lib/errors.js';

/** Address book rules: pure functions, tested in test/unit/accounts-addresses.test.ts. */

export const COUNTRIES = ['BR', 'PT', 'ES', 'US', 'FR', 'DE', 'IT', 'GB', 'NL', 'BE', 'IE', 'CA', 'MX', 'AR'] as const;
export type Country = (typeof COUNTRIES)[number];

export function isCountry(value: string): value is Country {
  return (COUNTRIES as readonly string[]).includes(value);
}

export interface AddressInput {
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
}

export interface Address extends Omit<AddressInput, 'country'> {
  id: string;
  country: Country;
}

export const ADDRESS_LIMITS: Readonly<Record<keyof AddressInput, number>> = {
  fullName: 120,
  line1: 200,
  line2: 200,
  city: 100,
  region: 100,
  postalCode: 20,
  country: 2,
  phone: 40,
};

/** Postal code formats; the example is shown in the error message. ES: 5 digits, province 01–52. */
const POSTAL: Partial<Record<Country, { pattern: RegExp; example: string }>> = {
  BR: { pattern: /^\d{5}-?\d{3}$/, example: '01310-100' },
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '94103 / 94103-1234' },
  ES: { pattern: /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28013' },
  PT: { pattern: /^\d{4}-\d{3}$/, example: '1100-148' },
};

/** Countries where the region (state) is required on a label. */
const REGION_REQUIRED = new Set<Country>(['BR', 'US', 'CA', 'MX']);

/** Canonical form of a postal code: trimmed, upper-cased, BR written with its hyphen. */
export function normalizePostalCode(country: string, value: string): string {
  const v = value.trim().toUpperCase().replace(/\s+/g, ' ');
  if (country === 'BR' && /^\d{8}$/.test(v)) return `${v.slice(0, 5)}-${v.slice(5)}`;
  return v;
}

export function checkPostalCode(country: string, postalCode: string): FieldError | undefined {
  const rule = isCountry(country) ? POSTAL[country] : undefined;
  if (rule === undefined) return undefined;
  if (rule.pattern.test(postalCode)) return undefined;
  return { field: 'postalCode', messageKey: 'accounts.address.postalCode.invalid', params: { example: rule.example } };
}

/** Trims and checks every field; returns the clean address or the field errors. */
export function validateAddress(input: AddressInput): { address: Omit<Address, 'id'> } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const clean = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, v.trim().replace(/\s+/g, ' ')]),
  ) as unknown as AddressInput;
  for (const field of ['fullName', 'line1', 'city', 'postalCode', 'country'] as const) {
    if (clean[field] === '') errors.push({ field, messageKey: 'accounts.field.required' });
  }
  for (const [field, max] of Object.entries(ADDRESS_LIMITS)) {
    if (clean[field as keyof AddressInput].length > max) errors.push({ field, messageKey: 'accounts.field.tooLong', params: { max } });
  }
  const country = clean.country.toUpperCase();
  if (clean.country !== '' && !isCountry(country)) errors.push({ field: 'country', messageKey: 'accounts.address.country.invalid' });
  if (isCountry(country) && REGION_REQUIRED.has(country) && clean.region === '') {
    errors.push({ field: 'region', messageKey: 'accounts.field.required' });
  }
  const postalCode = normalizePostalCode(country, clean.postalCode);
  if (postalCode !== '' && !errors.some((e) => e.field === 'postalCode')) {
    const bad = checkPostalCode(country, postalCode);
    if (bad) errors.push(bad);
  }
  if (clean.phone !== '' && !/^\+?[\d\s().-]{6,40}$/.test(clean.phone)) errors.push({ field: 'phone', messageKey: 'accounts.address.phone.invalid' });
  if (errors.length > 0 || !isCountry(country)) return { errors };
  return { address: { ...clean, country, postalCode } };
}
