import type { ObjectId } from 'mongodb';
import { createCatalogRepository } from '../../modules/catalog/repository.js';
import type { CategoryInput, ProductInput } from '../../modules/catalog/service.js';
import { createCmsRepository } from '../../modules/cms/repository.js';
import type { HomeSectionInput, PageInput } from '../../modules/cms/service.js';
import type { MenuLink } from '../../modules/cms/types.js';
import type { SeedContext } from '../types.js';

/**
 * Every write of the demo seed, in one place. Writes go through the catalog and CMS services (so
 * Markdown is rendered, derived fields computed, caches invalidated); the "is it already there?"
 * reads use their repositories, because the services only show published data and the seed must
 * see drafts too (an admin may have unpublished a demo product: it must not come back).
 */
export function createDemoStore({ db, services }: Pick<SeedContext, 'db' | 'services'>) {
  const catalogRepository = createCatalogRepository(db);
  const cmsRepository = createCmsRepository(db);

  return {
    async categoryIdsBySlug(): Promise<Map<string, ObjectId>> {
      return new Map((await catalogRepository.allCategories()).map((c) => [c.slug, c._id]));
    },
    async createCategory(input: CategoryInput): Promise<ObjectId> {
      return (await services.catalog.createCategory(input))._id;
    },
    async productId(slug: string): Promise<ObjectId | undefined> {
      return (await catalogRepository.productBySlug(slug))?._id;
    },
    async createProduct(input: ProductInput): Promise<ObjectId> {
      return (await services.catalog.createProduct(input))._id;
    },
    async pageId(slug: string): Promise<ObjectId | undefined> {
      return (await cmsRepository.pageBySlug(slug))?._id;
    },
    async createPage(input: PageInput): Promise<ObjectId> {
      return (await services.cms.createPage(input))._id;
    },
    async hasMenu(): Promise<boolean> {
      return (await cmsRepository.menu()) !== null;
    },
    async setMenu(links: MenuLink[]): Promise<void> {
      await services.cms.setMenu(links);
    },
    async hasHome(): Promise<boolean> {
      return (await cmsRepository.home()) !== null;
    },
    async setHome(sections: HomeSectionInput[]): Promise<void> {
      await services.cms.setHome(sections);
    },
  };
}

export type DemoStore = ReturnType<typeof createDemoStore>;
