import { Type, type Static } from '@sinclair/typebox';
import { LOCALES } from '../../i18n/locales.js';

export const ChangeLocaleBody = Type.Object({
  locale: Type.Union(LOCALES.map((l) => Type.Literal(l))),
  returnTo: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Type.Optional(Type.String({ maxLength: 256 })),
});
export type ChangeLocaleBody = Static<typeof ChangeLocaleBody>;
