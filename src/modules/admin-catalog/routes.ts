import type { FastifyPluginAsync } from 'fastify';
import { adminScope } from '../admin/scope.js';
import { adminCatalogIndexes } from '../catalog/admin-repository.js';
import type { AppModule, ModuleContext } from '../types.js';
import { csvRoutes } from './csv-routes.js';
import { importIndexes } from './import-repository.js';
import { pageRoutes } from './page-routes.js';
import { productRoutes } from './product-routes.js';
import { uploadRoutes } from './upload-routes.js';

/** Back office, catalog and content (issue 7 points 3–4): products, uploads, CSV, content pages. */
const routes: FastifyPluginAsync<ModuleContext> = async (app, context) => {
  // Before the first request: the list's sorts by stock and by title read totalStock and sortTitles (so
  // does the storefront's sort by name), which products stored before those fields existed get here
  // (src/modules/catalog/admin-repository.ts).
  app.addHook('onReady', async () => {
    const list = context.services.adminCatalog.productList;
    const totalStock = await list.backfillTotalStock();
    if (totalStock > 0) app.log.info({ products: totalStock }, 'totalStock backfilled');
    const sortTitles = await list.backfillSortTitles();
    if (sortTitles > 0) app.log.info({ products: sortTitles }, 'sortTitles backfilled');
  });
  // CSV routes first: /admin/products/import and /export.csv are static paths beside /admin/products/:id.
  for (const child of [csvRoutes, productRoutes, uploadRoutes, pageRoutes]) await app.register(child, context);
};

export const adminCatalogModule: AppModule = {
  name: 'admin-catalog',
  routes: adminScope(routes),
  indexes: [...adminCatalogIndexes, ...importIndexes],
};
