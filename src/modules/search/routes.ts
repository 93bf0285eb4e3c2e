import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppModule, ModuleContext } from '../types.js';

const SearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) });

/** GET /search — target of the header search box. Placeholder until the catalog module searches. */
const routes: FastifyPluginAsync<ModuleContext> = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/search', { schema: { querystring: SearchQuery } }, async (request, reply) => {
    const query = (request.query.q ?? '').trim();
    return reply.render('search/index', { title: request.t('search.title'), query });
  });
};

export const searchModule: AppModule = { name: 'search', routes };
