import type { Db } from 'mongodb';
import type { VersionedCache } from '../catalog/cache.js';
import { createCategoryEditor, type CategoryEditor } from '../catalog/category-editor.js';
import type { AuditSink } from '../catalog/editor.js';
import { createProductRefs, type ProductRefs } from '../catalog/product-refs.js';
import type { CmsService } from '../cms/service.js';
import { categoryReferences } from './category-references.js';

export interface AdminStructureServices {
  categories: CategoryEditor;
  productRefs: ProductRefs;
}

export interface AdminStructureDeps {
  db: Db;
  cache: VersionedCache;
  audit: AuditSink;
  /** The menu and home page: a deleted category's references there are removed. */
  cms: Pick<CmsService, 'removeCategoryReferences'>;
  clock: () => Date;
}

/** The back office's site-structure services: category tree, product references (src/services.ts calls this once). */
export function wireAdminStructure({ db, cache, audit, cms, clock }: AdminStructureDeps): AdminStructureServices {
  return { categories: createCategoryEditor({ db, cache, audit, references: categoryReferences(cms), clock }), productRefs: createProductRefs(db) };
}
