import { Type, type Static } from '@sinclair/typebox';

/**
 * Bodies of the accounts forms. Every field is a bounded string: `email[$ne]=x` or `password[]=a`
 * never reaches a query (formbody does not build objects, and a repeated field is an array, which
 * fails here). Limits are generous for the UI and small for an attacker.
 */
const s = (maxLength: number) => Type.String({ maxLength });
const csrf = Type.Optional(s(256));
/** argon2 takes any length: cap what a request can make it hash (1 KiB, far above the 128 allowed). */
const password = s(1024);

export const RegisterBody = Type.Object({ name: s(200), email: s(320), password, _csrf: csrf });
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object({
  email: s(320),
  password,
  remember: Type.Optional(s(10)),
  next: Type.Optional(s(2048)),
  _csrf: csrf,
});
export type LoginBody = Static<typeof LoginBody>;

export const NextQuery = Type.Object({ next: Type.Optional(s(2048)) });
/** GET /register?email=… (the order confirmation's account offer): the address to prefill. */
export const RegisterQuery = Type.Object({ email: Type.Optional(s(320)) });

export const ForgotBody = Type.Object({ email: s(320), _csrf: csrf });
export type ForgotBody = Static<typeof ForgotBody>;

export const ResetBody = Type.Object({ password, _csrf: csrf });
export type ResetBody = Static<typeof ResetBody>;

export const TokenParams = Type.Object({ token: s(200) });

export const ProfileBody = Type.Object({ name: s(200), locale: s(10), _csrf: csrf });
export type ProfileBody = Static<typeof ProfileBody>;

export const EmailBody = Type.Object({ email: s(320), emailPassword: password, _csrf: csrf });
export type EmailBody = Static<typeof EmailBody>;

export const PasswordBody = Type.Object({ currentPassword: password, password, _csrf: csrf });
export type PasswordBody = Static<typeof PasswordBody>;

export const DeleteBody = Type.Object({ deletePassword: password, _csrf: csrf });
export type DeleteBody = Static<typeof DeleteBody>;

export const AddressBody = Type.Object({
  fullName: s(300),
  line1: s(300),
  line2: Type.Optional(s(300)),
  city: s(300),
  region: Type.Optional(s(300)),
  postalCode: s(50),
  country: s(10),
  phone: Type.Optional(s(100)),
  defaultShipping: Type.Optional(s(10)),
  defaultBilling: Type.Optional(s(10)),
  _csrf: csrf,
});
export type AddressBody = Static<typeof AddressBody>;

export const AddressParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) });
export const DefaultBody = Type.Object({ kind: Type.Union([Type.Literal('shipping'), Type.Literal('billing')]), _csrf: csrf });
