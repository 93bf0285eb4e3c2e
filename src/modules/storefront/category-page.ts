import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFoundError, type FieldError } from '../../lib/errors.js';
import { parseMoneyInput } from '../../lib/money.js';
import { markdownToText } from '../../lib/markdown.js';
import { PAGE_SIZE, SORTS, type ListParams } from '../catalog/service.js';
import { pick } from '../catalog/translated.js';
import { pageHref, paginate } from './pagination.js';
import { CategoryQuery, optionChoices, SlugParams } from './schemas.js';
import { breadcrumbJsonLd } from './seo.js';
import { linker } from './locale-param.js';
import { head, pathWithoutLang, servePage, type StoreContext, type StorePage } from './render.js';
import { cardModel } from './view-models.js';

export const SORT_LABEL_KEYS = {
  featured: 'store.sort.featured',
  newest: 'store.sort.newest',
  'price-asc': 'store.sort.priceAsc',
  'price-desc': 'store.sort.priceDesc',
  name: 'store.sort.name',
} as const;

/** GET /c/:slug — products of a category and its descendants, sorted, filtered, paginated. */
export function categoryRoutes(base: FastifyInstance, ctx: StoreContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/c/:slug', { schema: { params: SlugParams, querystring: CategoryQuery } }, async (request, reply) =>
    servePage(request, reply, ctx, async (): Promise<StorePage> => {
      const { catalog } = ctx.services;
      const found = await catalog.findCategory(request.params.slug);
      if (found.kind === 'missing') throw new NotFoundError('Unknown category');
      if (found.kind === 'moved') {
        const qs = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        return { redirect: `/c/${found.slug}${qs}`, status: 301 };
      }
      const node = found.value;
      const { locale, t } = request;
      const query = request.query;
      const facets = await catalog.facets(node);
      const currency = facets.currency ?? 'EUR';
      const errors: FieldError[] = [];
      const price = (field: 'min' | 'max'): number | undefined => {
        const raw = query[field]?.trim();
        if (!raw) return undefined;
        const parsed = parseMoneyInput(raw, currency);
        if (parsed === undefined || parsed.amount < 0) errors.push({ field, messageKey: 'store.filter.priceInvalid' });
        return parsed?.amount;
      };
      const params: ListParams = {
        sort: query.sort ?? 'featured',
        page: query.page ?? 1,
        minPrice: price('min'),
        maxPrice: price('max'),
        inStockOnly: query.stock === '1',
        options: optionChoices(query, facets.options.map((o) => o.code)),
      };
      if (errors.length > 0) {
        params.minPrice = undefined;
        params.maxPrice = undefined;
      }
      const list = await catalog.listProducts(node, params, locale);
      if (params.page > list.pageCount) throw new NotFoundError('Page out of range');

      const path = `/c/${node.category.slug}`;
      const search = new URL(pathWithoutLang(request), 'http://x').searchParams;
      const link = linker(request);
      const name = pick(node.category.name, locale);
      const crumbs = [{ name: t('store.home'), href: '/' }, ...node.ancestors.map((a) => ({ name: pick(a.name, locale), href: `/c/${a.slug}` })), { name, href: path }];
      const filtered = params.minPrice !== undefined || params.maxPrice !== undefined || params.inStockOnly || Object.keys(params.options).length > 0;
      const descriptionText = markdownToText(pick(node.category.description, locale));
      const seo = head(request, ctx, {
        title: params.page > 1 ? t('store.category.titlePaged', { name, page: params.page }) : name,
        description: descriptionText || t('store.category.metaDescription', { name, count: list.total }),
        jsonLd: [breadcrumbJsonLd(ctx.config.baseUrl, crumbs)],
        // Filtered and re-sorted lists are the same products again: keep them out of the index.
        noindex: filtered || query.sort !== undefined,
      });
      return { template: 'storefront/category', status: errors.length > 0 ? 422 : 200, model: {
        seo,
        category: node.category,
        name,
        descriptionText,
        crumbs,
        children: node.children.map((c) => ({ href: link(`/c/${c.category.slug}`), name: pick(c.category.name, locale) })),
        cards: list.items.map((c, i) => cardModel(c, locale, link, i < 4)),
        total: list.total,
        pageSize: PAGE_SIZE,
        pagination: paginate(params.page, list.pageCount, (p) => link(pageHref(path, search, p))),
        sorts: SORTS.map((s) => ({ value: s, label: t(SORT_LABEL_KEYS[s]), selected: s === params.sort })),
        form: {
          action: path,
          min: query.min ?? '',
          max: query.max ?? '',
          stock: params.inStockOnly,
          options: facets.options.map((o) => ({
            code: o.code,
            name: pick(o.name, locale),
            values: o.values.map((v) => ({ code: v.code, label: pick(v.label, locale), checked: params.options[o.code]?.includes(v.code) ?? false })),
          })),
        },
        filtered,
        errors: Object.fromEntries(errors.map((e) => [e.field, t(e.messageKey)])),
      } };
    }));
}
