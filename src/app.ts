import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import type { Database, IndexDeclaration } from './db/client.js';
import { sessionIndexes } from './db/session-store.js';
import { AccessLogController, loggerOptions } from './logger.js';
import { modules as defaultModules } from './modules/index.js';
import type { AppModule } from './modules/types.js';
import { publicDir, viewsDir } from './paths.js';
import compression from './plugins/compression.js';
import finiteNumbers from './plugins/finite-numbers.js';
import auth from './plugins/auth.js';
import csrf from './plugins/csrf.js';
import { setErrorPages, setNotFoundPage } from './plugins/error-pages.js';
import flash from './plugins/flash.js';
import { frameworkErrorPage } from './plugins/framework-errors.js';
import health from './plugins/health.js';
import i18n from './plugins/i18n.js';
import securityHeaders from './plugins/security-headers.js';
import session from './plugins/session.js';
import staticFiles from './plugins/static-files.js';
import view from './plugins/view.js';
import { createServices, type Services } from './services.js';
import './types.js';
import { createAssetManifest } from './web/assets.js';

export interface AppDeps {
  database: Pick<Database, 'db' | 'ping' | 'ensureIndexes'>;
  /** Default: every module of src/modules/index.ts. */
  modules?: readonly AppModule[];
  /** Default: createServices over the database. Tests may pass fakes. */
  services?: Services;
  /** Where log lines go (tests read them back); default stdout. */
  logStream?: DestinationStream;
  /** Extra fields on every log line (a cluster worker adds { worker: id }). */
  logBindings?: Record<string, string | number>;
}

export function collectIndexes(modules: readonly AppModule[]): IndexDeclaration[] {
  return [...sessionIndexes, ...modules.flatMap((m) => m.indexes ?? [])];
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/**
 * The whole web application, ready to `listen` or `inject`. Never listens itself.
 * Order matters and is all here: headers and compression wrap everything; static files and
 * /healthz live outside the session (no database work for a CSS file); the site context adds
 * forms, session, CSRF, flash and then the modules.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const modules = deps.modules ?? defaultModules;
  const services = deps.services ?? createServices({ db: deps.database.db, smtpUrl: config.smtpUrl });
  const assets = createAssetManifest(publicDir, { cache: config.isProduction });

  const app = Fastify({
    logger: loggerOptions({ level: config.logLevel, stream: deps.logStream, bindings: deps.logBindings }),
    // One access line per request instead of Fastify's two (src/logger.ts).
    logController: new AccessLogController(),
    requestTimeout: 30_000,
    // A hop count becomes the equivalent function (Fastify's types only list boolean/string/function).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Stop promptly on close: idle keep-alive sockets are closed, in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Undecodable URLs get the translated 400 page, not Fastify's JSON (src/plugins/framework-errors.ts).
    frameworkErrors: frameworkErrorPage,
  });

  await deps.database.ensureIndexes(collectIndexes(modules));

  await app.register(securityHeaders, { https: config.secureCookies });
  await app.register(compression);
  await app.register(finiteNumbers);
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(i18n);
  await app.register(view, { viewsDir, production: config.isProduction, assets, nav: modules.flatMap((m) => m.nav ?? []) });
  setErrorPages(app);

  await app.register(health, { ping: () => deps.database.ping() });
  await app.register(staticFiles, { publicDir, assets });
  for (const module of modules) {
    if (module.publicRoutes) await app.register(module.publicRoutes, { config, services });
  }

  await app.register(async (site) => {
    await site.register(formbody);
    await site.register(session, { db: deps.database.db, secret: config.sessionSecret, secure: config.secureCookies });
    await site.register(csrf, { secure: config.secureCookies });
    await site.register(flash);
    await site.register(auth, { users: services.accounts });
    setNotFoundPage(site);
    for (const module of modules) {
      await site.register(module.routes, { config, services });
    }
  });

  return app;
}
