import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../lib/errors.js';
import { markdownToText } from '../../lib/markdown.js';
import { pick } from '../catalog/translated.js';
import { head, servePage, type StoreContext, type StorePage } from './render.js';
import { LangQuery, SlugParams } from './schemas.js';
import { breadcrumbJsonLd } from './seo.js';

/** GET /pages/:slug — published content pages (the body HTML was made safe when saved). */
export function contentPageRoutes(base: FastifyInstance, ctx: StoreContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/pages/:slug', { schema: { params: SlugParams, querystring: LangQuery } }, async (request, reply) =>
    servePage(request, reply, ctx, async (): Promise<StorePage> => {
      const found = await ctx.services.cms.findPage(request.params.slug);
      if (found.kind === 'missing') throw new NotFoundError('Unknown page');
      if (found.kind === 'moved') {
        const qs = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        return { redirect: `/pages/${found.slug}${qs}`, status: 301 };
      }
      const page = found.value;
      const { locale, t } = request;
      const title = pick(page.title, locale);
      const seoTitle = page.seoTitle ? pick(page.seoTitle, locale) : title;
      const description = page.seoDescription ? pick(page.seoDescription, locale) : markdownToText(pick(page.body, locale));
      const crumbs = [{ name: t('store.home'), href: '/' }, { name: title, href: `/pages/${page.slug}` }];
      return { template: 'storefront/page', model: {
        seo: head(request, ctx, { title: seoTitle, description, type: 'article', jsonLd: [breadcrumbJsonLd(ctx.config.baseUrl, crumbs)] }),
        heading: title,
        bodyHtml: pick(page.bodyHtml, locale),
      } };
    }));
}
