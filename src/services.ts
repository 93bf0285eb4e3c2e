import type { Db } from 'mongodb';
import { createSiteRepository } from './modules/site/repository.js';
import { createSiteService, type SiteService } from './modules/site/service.js';

/**
 * The composition root of the domain: every service, built from its repository and the services it
 * needs. A new module adds one line here; tests may replace any service with a fake.
 */
export interface Services {
  site: SiteService;
}

export interface ServiceDeps {
  db: Db;
  clock?: () => Date;
}

export function createServices({ db, clock = () => new Date() }: ServiceDeps): Services {
  const site = createSiteService({ repository: createSiteRepository(db), clock });
  return { site };
}
