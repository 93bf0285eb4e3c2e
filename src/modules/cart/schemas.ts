import { Type, type Static } from '@sinclair/typebox';

const ObjectIdString = Type.String({ pattern: '^[0-9a-fA-F]{24}$' });
const Csrf = Type.Optional(Type.String({ maxLength: 256 }));

export const AddBody = Type.Object({
  variantId: ObjectIdString,
  qty: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  /** The product page's field name (views/storefront/product.eta). */
  quantity: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  returnTo: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Csrf,
});
export type AddBody = Static<typeof AddBody>;

export const UpdateBody = Type.Object({
  variantId: ObjectIdString,
  qty: Type.String({ pattern: '^[0-9]{1,3}$' }),
  _csrf: Csrf,
});
export type UpdateBody = Static<typeof UpdateBody>;

export const RemoveBody = Type.Object({ variantId: ObjectIdString, _csrf: Csrf });
export type RemoveBody = Static<typeof RemoveBody>;
