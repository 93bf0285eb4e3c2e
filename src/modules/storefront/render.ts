import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import { pick } from '../catalog/translated.js';
import type { Built } from './page-cache.js';
import { buildHead, type HeadInput, type SeoHead } from './seo.js';
import { hasExplicitLang, linker } from './locale-param.js';

export interface StoreContext {
  config: Config;
  services: Services;
}

/** The path of the request without the lang parameter (canonical and hreflang base). */
export function pathWithoutLang(request: FastifyRequest): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('lang');
  return url.pathname + url.search;
}

export function head(request: FastifyRequest, ctx: StoreContext, input: Omit<HeadInput, 'baseUrl' | 'locale' | 'explicitLang' | 'path'> & { path?: string }): SeoHead {
  return buildHead({
    ...input,
    baseUrl: ctx.config.baseUrl,
    locale: request.locale,
    explicitLang: hasExplicitLang(request),
    path: input.path ?? pathWithoutLang(request),
  });
}

/** What a storefront route computed: a page to render (status 200 unless said) or a redirect. */
export type StorePage =
  | { template: string; model: Record<string, unknown> & { seo: SeoHead }; status?: number }
  | { redirect: string; status: 301 | 302 | 303 };

export interface ServeOptions {
  /** Shorter life in the page cache (the product page shows stock). */
  ttlMs?: number;
  /** Data outside the catalog cache that the page shows (e.g. the shop name): part of the cache key. */
  vary?: string;
}

/**
 * The model every storefront page adds to its own: the menu from the database as the header
 * navigation, a link() helper that keeps ?lang=, and the SEO head's title.
 */
async function layoutModel(request: FastifyRequest, ctx: StoreContext, model: Record<string, unknown> & { seo: SeoHead }): Promise<Record<string, unknown>> {
  const link = linker(request);
  const menu = await ctx.services.cms.menu();
  const nav = menu.length > 0 ? menu.map((m) => ({ href: link(m.href), label: pick(m.label, request.locale) })) : undefined;
  return {
    ...(nav ? { nav } : {}),
    link,
    lang: hasExplicitLang(request) ? request.locale : undefined,
    pick: (text: Parameters<typeof pick>[0]) => pick(text, request.locale),
    title: model.seo.title,
    ...model,
  };
}

async function sendOnce(request: FastifyRequest, reply: FastifyReply, ctx: StoreContext, page: StorePage): Promise<FastifyReply> {
  if ('redirect' in page) return reply.code(page.status).redirect(page.redirect);
  reply.code(page.status ?? 200);
  return reply.render(page.template, await layoutModel(request, ctx, page.model));
}

/**
 * Serves a storefront GET page through the page cache: a 200 page is rendered once per language
 * and URL (see page-cache.ts) and sent with this visitor's CSRF token, links and flash filled in;
 * redirects and error pages are computed each time. `build` must depend only on the URL, the
 * language and the catalog/content data — never on the visitor.
 */
export async function servePage(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: StoreContext,
  build: () => Promise<StorePage>,
  options: ServeOptions = {},
): Promise<FastifyReply> {
  const key = `${request.locale} ${request.url}${options.vary === undefined ? '' : ` ${options.vary}`}`;
  const built: Built<StorePage> = await ctx.services.pages.get<StorePage>(key, options.ttlMs, async () => {
    const page = await build();
    if ('redirect' in page || (page.status ?? 200) !== 200) return { once: page };
    return { shell: await reply.renderShell(page.template, await layoutModel(request, ctx, page.model)) };
  });
  if ('shell' in built) return reply.sendShell(built.shell);
  return sendOnce(request, reply, ctx, built.once);
}
