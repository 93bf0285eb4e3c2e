import type { FastifyPluginAsync } from 'fastify';
import type { AppModule, ModuleContext } from '../types.js';

/** GET / — a placeholder home page; the storefront module replaces its content. */
const routes: FastifyPluginAsync<ModuleContext> = async (app, { services }) => {
  app.get('/', async (request, reply) => {
    const settings = await services.site.getSettings();
    return reply.render('home/index', { title: request.t('home.title'), shopName: settings.shopName });
  });
};

export const homeModule: AppModule = { name: 'home', routes, nav: [{ href: '/', labelKey: 'nav.home' }] };
