import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import { pick } from '../catalog/translated.js';
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

/**
 * Renders a storefront page: the menu from the database as the header navigation, a link() helper
 * that keeps ?lang=, and the SEO head. Until the base layout has a head slot the pages use
 * views/storefront/layout.eta (see REQUESTS.md).
 */
export async function renderStore(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: StoreContext,
  template: string,
  model: Record<string, unknown> & { seo: SeoHead },
): Promise<FastifyReply> {
  const link = linker(request);
  const menu = await ctx.services.cms.menu();
  // The header partial translates `labelKey`; a label that is no key comes back unchanged.
  const nav = menu.length > 0 ? menu.map((m) => ({ href: link(m.href), labelKey: pick(m.label, request.locale) })) : undefined;
  return reply.render(template, {
    ...(nav ? { nav } : {}),
    link,
    lang: hasExplicitLang(request) ? request.locale : undefined,
    pick: (text: Parameters<typeof pick>[0]) => pick(text, request.locale),
    title: model.seo.title,
    ...model,
  });
}
