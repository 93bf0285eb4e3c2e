import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../lib/errors.js';
import { markdownToText } from '../../lib/markdown.js';
import { formatMoney } from '../../lib/money.js';
import { pick } from '../catalog/translated.js';
import { mediaUrl } from '../media/picture.js';
import { linker } from './locale-param.js';
import { head, servePage, type StoreContext, type StorePage } from './render.js';
import { OPTION_PREFIX, optionChoices, ProductQuery, SlugParams } from './schemas.js';
import { breadcrumbJsonLd } from './seo.js';
import { availability, cardModel, chooseVariant, decimalPrice, imagePicture, SCHEMA_AVAILABILITY } from './view-models.js';

/** Stock changes with every order without touching the catalog cache: a product page lives a second. */
const PRODUCT_TTL_MS = 1000;
const GALLERY_SIZES = '(min-width: 64em) 36rem, 100vw';

/** GET /p/:slug — one product; `?o_size=m` picks a variant without JavaScript. */
export function productRoutes(base: FastifyInstance, ctx: StoreContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/p/:slug', { schema: { params: SlugParams, querystring: ProductQuery } }, async (request, reply) =>
    servePage(request, reply, ctx, async (): Promise<StorePage> => {
      const { catalog } = ctx.services;
      const found = await catalog.findProduct(request.params.slug);
      if (found.kind === 'missing') throw new NotFoundError('Unknown product');
      if (found.kind === 'moved') {
        const qs = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        return { redirect: `/p/${found.slug}${qs}`, status: 301 };
      }
      const product = found.value;
      const { locale, t } = request;
      const link = linker(request);
      const chosenLists = optionChoices(request.query, product.options.map((o) => o.code));
      const chosen = Object.fromEntries(Object.entries(chosenLists).map(([k, v]) => [k, v[0] ?? '']));
      const variant = chooseVariant(product, chosen);
      const stock = availability(variant);
      const price = variant?.price ?? product.price;
      const title = pick(product.title, locale);
      const path = `/p/${product.slug}`;

      const [tree, related] = await Promise.all([catalog.categoryTree(), catalog.relatedProducts(product)]);
      const category = product.categoryIds.map((id) => tree.byId(id)).find((n) => n !== undefined);
      const crumbs = [
        { name: t('store.home'), href: '/' },
        ...(category ? [...category.ancestors, category.category].map((c) => ({ name: pick(c.name, locale), href: `/c/${c.slug}` })) : []),
        { name: title, href: path },
      ];
      const description = markdownToText(pick(product.description, locale));
      const firstImage = product.images[0];
      const productLd = {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: title,
        description,
        sku: variant?.sku,
        url: ctx.config.baseUrl + path,
        ...(firstImage ? { image: product.images.map((i) => ctx.config.baseUrl + mediaUrl(i.mediaId, Math.min(i.width, 1280), 'jpeg')) } : {}),
        offers: {
          '@type': 'Offer',
          price: decimalPrice(price.amount, price.currency),
          priceCurrency: price.currency,
          availability: SCHEMA_AVAILABILITY[stock],
          url: ctx.config.baseUrl + path,
        },
      };
      const seo = head(request, ctx, {
        title,
        description: description || title,
        type: 'product',
        ...(firstImage ? { image: mediaUrl(firstImage.mediaId, Math.min(firstImage.width, 1280), 'jpeg') } : {}),
        jsonLd: [productLd, breadcrumbJsonLd(ctx.config.baseUrl, crumbs)],
        // A variant URL shows the same product: the canonical is the product itself.
        path,
      });
      return { template: 'storefront/product', model: {
        seo,
        crumbs: crumbs.map((c) => ({ ...c, href: link(c.href) })),
        name: title,
        descriptionHtml: pick(product.descriptionHtml, locale),
        gallery: product.images.map((image, i) => imagePicture(image, locale, { sizes: GALLERY_SIZES, eager: i === 0 })),
        price: formatMoney(price, locale),
        compareAt: product.compareAtPrice && product.compareAtPrice.amount > price.amount ? formatMoney(product.compareAtPrice, locale) : undefined,
        variant,
        stock,
        stockCount: variant?.stock ?? 0,
        unavailableChoice: variant === undefined,
        optionPrefix: OPTION_PREFIX,
        action: path,
        options: product.options.map((o) => ({
          code: o.code,
          name: pick(o.name, locale),
          values: o.values
            .filter((v) => product.variants.some((pv) => pv.options[o.code] === v.code))
            .map((v) => ({ code: v.code, label: pick(v.label, locale), selected: (variant?.options[o.code] ?? chosen[o.code]) === v.code })),
        })),
        related: related.map((c) => cardModel(c, locale, link)),
      } };
    }, { ttlMs: PRODUCT_TTL_MS }));
}
