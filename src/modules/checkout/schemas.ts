import { Type, type Static } from '@sinclair/typebox';

const Csrf = Type.Optional(Type.String({ maxLength: 256 }));
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

export const ContactBody = Type.Object({ email: Type.String({ maxLength: 254 }), _csrf: Csrf });
export const AddressBody = Type.Object({
  fullName: Type.String({ maxLength: 120 }),
  line1: Type.String({ maxLength: 200 }),
  line2: Text(200),
  city: Type.String({ maxLength: 100 }),
  region: Text(100),
  postalCode: Type.String({ maxLength: 20 }),
  country: Type.String({ maxLength: 2 }),
  phone: Text(40),
  _csrf: Csrf,
});
export type AddressBody = Static<typeof AddressBody>;
export const ShippingBody = Type.Object({ method: Type.Optional(Type.String({ maxLength: 64 })), _csrf: Csrf });
export const DiscountBody = Type.Object({
  code: Text(64),
  action: Type.Union([Type.Literal('apply'), Type.Literal('remove'), Type.Literal('skip')]),
  _csrf: Csrf,
});
export const PlaceBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 64 }),
  paymentMethod: Type.Optional(Type.String({ maxLength: 32 })),
  _csrf: Csrf,
});
export const DoneParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) });
