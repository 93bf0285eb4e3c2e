import { Type } from '@sinclair/typebox';

const s = (maxLength: number) => Type.String({ maxLength });
const csrf = Type.Optional(s(256));

export const CodeBody = Type.Object({ code: s(64), _csrf: csrf });
export const PasswordBody = Type.Object({ password: s(1024), _csrf: csrf });
export const ConfirmBody = Type.Object({ password: s(1024), next: Type.Optional(s(2048)), _csrf: csrf });
export const NextQuery = Type.Object({ next: Type.Optional(s(2048)) });
export const EmptyBody = Type.Object({ _csrf: csrf });
