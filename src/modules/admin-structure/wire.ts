import type { Db } from 'mongodb';
import type { VersionedCache } from '../catalog/cache.js';
import { createCategoryEditor, type CategoryEditor } from '../catalog/category-editor.js';
import type { AuditSink } from '../catalog/editor.js';
import { createProductRefs, type ProductRefs } from '../catalog/product-refs.js';

export interface AdminStructureServices {
  categories: CategoryEditor;
  productRefs: ProductRefs;
}

/** The back office's site-structure services: category tree, product references (src/services.ts calls this once). */
export function wireAdminStructure({ db, cache, audit, clock }: { db: Db; cache: VersionedCache; audit: AuditSink; clock: () => Date }): AdminStructureServices {
  return { categories: createCategoryEditor({ db, cache, audit, clock }), productRefs: createProductRefs(db) };
}
