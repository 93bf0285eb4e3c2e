import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../lib/errors.js';
import { markdownToText } from '../../lib/markdown.js';
import { pick } from '../catalog/translated.js';
import { excerpt, highlight, searchTerms } from './highlight.js';
import { linker } from './locale-param.js';
import { pageHref, paginate } from './pagination.js';
import { head, servePage, type StoreContext, type StorePage } from './render.js';
import { SearchQuery } from './schemas.js';
import { cardModel } from './view-models.js';

/** GET /search?q= — text index search, most relevant first, matched words marked. */
export function searchRoutes(base: FastifyInstance, ctx: StoreContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/search', { schema: { querystring: SearchQuery } }, async (request, reply) =>
    servePage(request, reply, ctx, async (): Promise<StorePage> => {
      const { locale, t } = request;
      const link = linker(request);
      const query = (request.query.q ?? '').replace(/\s+/g, ' ').trim();
      const page = request.query.page ?? 1;
      const terms = searchTerms(query);
      const result = terms.length > 0 ? await ctx.services.catalog.search(query, page) : { items: [], total: 0, pageCount: 1 };
      if (page > result.pageCount) throw new NotFoundError('Page out of range');
      const tree = result.total === 0 ? await ctx.services.catalog.categoryTree() : undefined;
      const params = new URLSearchParams(query ? { q: query } : {});
      const seo = head(request, ctx, {
        title: query ? t('search.heading', { query }) : t('search.title'),
        description: t('store.search.metaDescription'),
        // Result pages are endless and thin: not for the index.
        noindex: true,
      });
      return { template: 'storefront/search', model: {
        seo,
        query,
        total: result.total,
        cards: result.items.map((item) => {
          const card = cardModel(item, locale, link);
          return {
            ...card,
            titleHtml: highlight(card.title, terms),
            excerptHtml: excerpt(markdownToText(pick(item.description, locale)), terms),
          };
        }),
        pagination: paginate(page, result.pageCount, (p) => link(pageHref('/search', params, p))),
        suggestions: tree ? tree.roots.map((n) => ({ href: link(`/c/${n.category.slug}`), name: pick(n.category.name, locale) })) : [],
      } };
    }));
}
