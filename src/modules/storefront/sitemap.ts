import type { FastifyInstance } from 'fastify';
import { LOCALES } from '../../i18n/locales.js';
import { escapeHtml } from './highlight.js';
import { withLang } from './seo.js';
import type { StoreContext } from './render.js';

export interface SitemapEntry {
  path: string;
  lastmod?: Date;
}

/** One <url> per page (the x-default URL), with an hreflang alternate per language. */
export function sitemapXml(baseUrl: string, entries: readonly SitemapEntry[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const e of entries) {
    const loc = escapeHtml(baseUrl + e.path);
    lines.push('<url>', `<loc>${loc}</loc>`);
    if (e.lastmod) lines.push(`<lastmod>${e.lastmod.toISOString()}</lastmod>`);
    for (const l of LOCALES) lines.push(`<xhtml:link rel="alternate" hreflang="${l}" href="${escapeHtml(baseUrl + withLang(e.path, l))}"/>`);
    lines.push(`<xhtml:link rel="alternate" hreflang="x-default" href="${loc}"/>`, '</url>');
  }
  lines.push('</urlset>');
  return lines.join('\n');
}

/** GET /sitemap.xml — published categories, products and pages. */
export function sitemapRoutes(app: FastifyInstance, ctx: StoreContext): void {
  app.get('/sitemap.xml', async (_request, reply) => {
    const { catalog, cms } = ctx.services;
    const [tree, products, pages] = await Promise.all([catalog.categoryTree(), catalog.sitemapProducts(), cms.sitemapPages()]);
    const entries: SitemapEntry[] = [
      { path: '/' },
      ...tree.all().map((n) => ({ path: `/c/${n.category.slug}`, lastmod: n.category.updatedAt })),
      ...products.map((p) => ({ path: `/p/${p.slug}`, lastmod: p.updatedAt })),
      ...pages.map((p) => ({ path: `/pages/${p.slug}`, lastmod: p.updatedAt })),
    ];
    reply.header('content-type', 'application/xml; charset=utf-8');
    reply.header('cache-control', 'public, max-age=300');
    return reply.send(sitemapXml(ctx.config.baseUrl, entries));
  });
}
