import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pictureModel } from '../media/picture.js';
import { pick } from '../catalog/translated.js';
import type { ResolvedSection } from '../cms/service.js';
import { linker } from './locale-param.js';
import { head, servePage, type StoreContext, type StorePage } from './render.js';
import { LangQuery } from './schemas.js';
import { CARD_SIZES, cardModel } from './view-models.js';

/** GET / — the sections stored in the home document, in order. */
export function homeRoutes(base: FastifyInstance, ctx: StoreContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/', { schema: { querystring: LangQuery } }, async (request, reply) => {
    // Settings live outside the catalog cache (their own cached copy, no database read): part of the key.
    const settings = await ctx.services.site.getSettings();
    return servePage(request, reply, ctx, async (): Promise<StorePage> => {
      const { locale, t } = request;
      const link = linker(request);
      const sections = await ctx.services.cms.home();
      const view = sections.map((s: ResolvedSection, index) => {
        if (s.kind === 'hero') {
          return {
            kind: s.kind,
            heading: pick(s.heading, locale),
            text: pick(s.text, locale),
            link: s.link ? { href: s.link.url.startsWith('/') ? link(s.link.url) : s.link.url, label: pick(s.link.label, locale) } : undefined,
            picture: s.image ? pictureModel({ mediaId: s.image.id, width: s.image.width, height: s.image.height }, { alt: s.image.alt, eager: index === 0, sizes: '100vw', preferredWidth: 1280 }) : undefined,
          };
        }
        if (s.kind === 'featuredCategories') {
          return {
            kind: s.kind,
            heading: pick(s.heading, locale),
            categories: s.categories.map((c) => ({
              href: link(`/c/${c.node.category.slug}`),
              name: pick(c.node.category.name, locale),
              picture: c.image ? pictureModel({ mediaId: c.image.id, width: c.image.width, height: c.image.height }, { alt: '', sizes: CARD_SIZES }) : undefined,
            })),
          };
        }
        if (s.kind === 'featuredProducts') return { kind: s.kind, heading: pick(s.heading, locale), cards: s.products.map((p) => cardModel(p, locale, link)) };
        return { kind: s.kind, html: pick(s.html, locale) };
      });
      return { template: 'storefront/home', model: {
        seo: head(request, ctx, { title: settings.shopName, description: t('site.tagline'), path: '/' }),
        shopName: settings.shopName,
        sections: view,
      } };
    }, { vary: settings.shopName });
  });
}
