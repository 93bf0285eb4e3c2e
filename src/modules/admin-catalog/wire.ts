import type { Db } from 'mongodb';
import { createCatalogAdminRepository } from '../catalog/admin-repository.js';
import { createAdminProductList, type AdminProductList } from '../catalog/admin-list.js';
import type { VersionedCache } from '../catalog/cache.js';
import { createProductEditor, type AuditSink, type ProductEditor } from '../catalog/editor.js';
import type { CatalogService } from '../catalog/service.js';
import { createStockStore } from '../catalog/stock.js';
import { createImportRepository } from './import-repository.js';
import { createImportService, type ImportService } from './import-service.js';

export interface AdminCatalogServices {
  products: ProductEditor;
  productList: AdminProductList;
  imports: ImportService;
}

export interface AdminCatalogWiring {
  db: Db;
  cache: VersionedCache;
  catalog: CatalogService;
  audit: AuditSink;
  clock: () => Date;
  currency: () => Promise<string>;
}

/** The back office's catalog services (src/services.ts calls this once). */
export function wireAdminCatalog({ db, cache, catalog, audit, clock, currency }: AdminCatalogWiring): AdminCatalogServices {
  const repository = createCatalogAdminRepository(db);
  const products = createProductEditor({ repository, stock: createStockStore(db, clock), catalog, cache, audit, clock });
  const productList = createAdminProductList(repository, cache);
  const imports = createImportService({ repository: createImportRepository(db), products, catalog, currency, clock });
  return { products, productList, imports };
}
