import { Type } from '@sinclair/typebox';

export const OrderParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) });
export const SigQuery = Type.Object({ sig: Type.Optional(Type.String({ maxLength: 100 })) });
export const CancelBody = Type.Object({ sig: Type.Optional(Type.String({ maxLength: 100 })), _csrf: Type.Optional(Type.String({ maxLength: 256 })) });
export const DownloadParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }), line: Type.String({ pattern: '^[0-9]{1,3}$' }) });
export const DownloadQuery = Type.Object({ exp: Type.String({ pattern: '^[0-9]{1,12}$' }), sig: Type.String({ maxLength: 100 }) });
