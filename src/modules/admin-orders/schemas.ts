import { Type, type Static, type TOptional, type TString } from '@sinclair/typebox';
import { ORDER_STATUSES } from '../orders/types.js';
import { ORDER_SORTS } from '../orders/staff-repository.js';

/** Query strings and bodies of the back-office order pages: bounded strings, closed choices. */
const s = (maxLength: number) => Type.String({ maxLength });
const csrf = Type.Optional(s(256));
const choice = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const OrderListQuery = Type.Object({
  q: Type.Optional(s(200)),
  status: Type.Optional(choice(['', ...ORDER_STATUSES] as const)),
  sort: Type.Optional(choice(ORDER_SORTS)),
  dir: Type.Optional(choice(['asc', 'desc'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type OrderListQuery = Static<typeof OrderListQuery>;

export const NumberParams = Type.Object({ number: Type.String({ pattern: '^[0-9]{1,12}$' }) });
export type NumberParams = Static<typeof NumberParams>;

export const StatusParams = Type.Object({
  number: Type.String({ pattern: '^[0-9]{1,12}$' }),
  action: choice(['paid', 'complete', 'cancel', 'refund'] as const),
});

export const StatusBody = Type.Object({ returned: Type.Optional(s(10)), _csrf: csrf });
export const FulfilBody = Type.Object({ carrier: Type.Optional(s(100)), code: Type.Optional(s(100)), url: Type.Optional(s(500)), _csrf: csrf });
export const NoteBody = Type.Object({ note: s(2000), _csrf: csrf });

/** The selected order numbers of the list's bulk form (one value or several: Fastify coerces to an array). */
const numbers = Type.Array(Type.String({ pattern: '^[0-9]{1,12}$' }), { maxItems: 100 });
export const BulkQuery = Type.Object({ n: Type.Optional(numbers) });
/** Per order: carrier_<n>, code_<n>, url_<n> (any other field must still be a short string). */
export const BulkBody = Type.Object({ n: numbers, _csrf: csrf }, { additionalProperties: s(500) });

const LINE_FIELDS = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [
    [`sku${i + 1}`, Type.Optional(s(64))],
    [`qty${i + 1}`, Type.Optional(s(5))],
  ]).flat(),
) as Record<string, TOptional<TString>>;

export const ManualBody = Type.Object({
  formKey: s(64),
  email: s(254),
  locale: s(10),
  fullName: s(120),
  line1: s(200),
  line2: Type.Optional(s(200)),
  city: s(100),
  region: Type.Optional(s(100)),
  postalCode: Type.Optional(s(20)),
  country: s(2),
  phone: Type.Optional(s(40)),
  shippingMethod: s(64),
  paymentMethod: s(40),
  paid: Type.Optional(s(10)),
  ...LINE_FIELDS,
  _csrf: csrf,
});
