import { Type, type Static } from '@sinclair/typebox';
import { USER_SORTS } from './users-repository.js';

/** Query strings and bodies of the back-office pages: bounded strings, closed choices. */
const s = (maxLength: number) => Type.String({ maxLength });
const csrf = Type.Optional(s(256));
const choice = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const RangeQuery = Type.Object({ from: Type.Optional(s(10)), to: Type.Optional(s(10)) });
export type RangeQuery = Static<typeof RangeQuery>;

export const UserListQuery = Type.Object({
  q: Type.Optional(s(200)),
  sort: Type.Optional(choice(USER_SORTS)),
  dir: Type.Optional(choice(['asc', 'desc'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  role: Type.Optional(choice(['', 'customer', 'staff', 'admin'] as const)),
});
export type UserListQuery = Static<typeof UserListQuery>;

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) });
export type IdParams = Static<typeof IdParams>;

export const CsrfOnlyBody = Type.Object({ _csrf: csrf });
export const RoleBody = Type.Object({ role: s(20), password: Type.Optional(s(1024)), _csrf: csrf });
export type RoleBody = Static<typeof RoleBody>;

export const SettingsBody = Type.Object({
  timeZone: s(64),
  lowStockThreshold: s(20),
  enforceTwoFactor: Type.Optional(s(10)),
  _csrf: csrf,
});
export type SettingsBody = Static<typeof SettingsBody>;
