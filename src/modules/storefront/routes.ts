import type { FastifyPluginAsync } from 'fastify';
import { catalogIndexes } from '../catalog/repository.js';
import { stockIndexes } from '../catalog/stock.js';
import { cmsIndexes } from '../cms/repository.js';
import type { AppModule, ModuleContext } from '../types.js';
import { categoryRoutes } from './category-page.js';
import { contentPageRoutes } from './content-pages.js';
import { homeRoutes } from './home-page.js';
import { productRoutes } from './product-page.js';
import { searchRoutes } from './search-page.js';
import { sitemapRoutes } from './sitemap.js';

/** Category, product and content pages, and the sitemap. Owns the catalog and content indexes. */
const storefront: FastifyPluginAsync<ModuleContext> = async (app, ctx) => {
  categoryRoutes(app, ctx);
  productRoutes(app, ctx);
  contentPageRoutes(app, ctx);
  sitemapRoutes(app, ctx);
};

const home: FastifyPluginAsync<ModuleContext> = async (app, ctx) => {
  homeRoutes(app, ctx);
};

const search: FastifyPluginAsync<ModuleContext> = async (app, ctx) => {
  searchRoutes(app, ctx);
};

export const storefrontModule: AppModule = { name: 'storefront', routes: storefront, indexes: [...catalogIndexes, ...stockIndexes, ...cmsIndexes] };
/** Replace the placeholder home and search modules (src/modules/home, src/modules/search). */
export const storefrontHomeModule: AppModule = { name: 'storefront-home', routes: home, nav: [{ href: '/', labelKey: 'nav.home' }] };
export const storefrontSearchModule: AppModule = { name: 'storefront-search', routes: search };
