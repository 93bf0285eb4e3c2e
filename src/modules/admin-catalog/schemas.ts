import { Type, type Static } from '@sinclair/typebox';
import { ADMIN_SORTS, STATUS_FILTERS } from '../catalog/admin-list.js';

/** Query strings and bodies of the catalog back office: bounded strings, closed choices. */
const s = (maxLength: number) => Type.String({ maxLength });
const choice = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const objectId = Type.String({ pattern: '^[0-9a-f]{24}$' });

export const IdParams = Type.Object({ id: objectId });

export const ProductListQuery = Type.Object({
  q: Type.Optional(s(200)),
  status: Type.Optional(choice(STATUS_FILTERS)),
  sort: Type.Optional(choice(ADMIN_SORTS)),
  dir: Type.Optional(choice(['asc', 'desc'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type ProductListQuery = Static<typeof ProductListQuery>;

export const BulkBody = Type.Object({
  action: choice(['publish', 'unpublish', 'delete'] as const),
  ids: Type.Optional(Type.Union([objectId, Type.Array(objectId, { maxItems: 500 })])),
  _csrf: Type.Optional(s(256)),
});

/**
 * The product editor posts many flat fields (`v12_sku`, `title_es`…): each a bounded string, a few
 * repeated (category checkboxes). Field-level rules live in product-form.ts.
 */
export const ProductForm = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String({ maxLength: 50_000 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500 })]),
  { maxProperties: 4000 },
);

export const PageForm = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 100_000 }), { maxProperties: 100 });
export const CsrfOnlyBody = Type.Object({ _csrf: Type.Optional(s(256)) });
