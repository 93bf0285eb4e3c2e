import { Type, type Static } from '@sinclair/typebox';
import { LOCALES } from '../../i18n/locales.js';

const LocaleField = Type.Union(LOCALES.map((l) => Type.Literal(l)));

export const ChangeLocaleQuery = Type.Object({
  locale: LocaleField,
  returnTo: Type.Optional(Type.String({ maxLength: 2048 })),
});
export type ChangeLocaleQuery = Static<typeof ChangeLocaleQuery>;

export const ChangeLocaleBody = Type.Object({
  locale: LocaleField,
  returnTo: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Type.Optional(Type.String({ maxLength: 256 })),
});
export type ChangeLocaleBody = Static<typeof ChangeLocaleBody>;
