import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { IndexDeclaration } from '../db/client.js';
import type { NavItem } from '../plugins/view.js';
import type { Services } from '../services.js';

/** What every module's routes plugin receives. */
export interface ModuleContext {
  config: Config;
  services: Services;
}

/**
 * A feature of the shop. To add one: write src/modules/<x>/{routes,service,repository,schemas}.ts,
 * export an AppModule from routes.ts, list it in src/modules/index.ts, add its service to
 * src/services.ts, its strings to the catalogs, its views under views/<x>/.
 */
export interface AppModule {
  name: string;
  /** Encapsulated Fastify plugin: its routes, hooks and schemas. Session, CSRF and flash are available. */
  routes: FastifyPluginAsync<ModuleContext>;
  /**
   * Routes registered outside the site context, next to static files: no session, no CSRF, no
   * form parsing (e.g. /media, /sitemap.xml). Their responses can be cached publicly.
   */
  publicRoutes?: FastifyPluginAsync<ModuleContext>;
  /** Indexes of the module's collections (from its repository), created at boot. */
  indexes?: readonly IndexDeclaration[];
  /** Links for the header navigation, in module order. */
  nav?: readonly NavItem[];
}
