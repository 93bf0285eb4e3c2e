import type { AppModule } from '../../src/modules/types.js';
import { localeModule } from '../../src/modules/locale/routes.js';
import { storefrontHomeModule, storefrontModule, storefrontSearchModule } from '../../src/modules/storefront/routes.js';
import type { Services } from '../../src/services.js';

/** The storefront modules in place of the placeholder home and search (until modules/index.ts lists them). */
export const storefrontModules: readonly AppModule[] = [storefrontHomeModule, storefrontModule, storefrontSearchModule, localeModule];

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const sizes = {
  code: 'size',
  name: { en: 'Size', 'pt-BR': 'Tamanho', es: 'Talla' },
  values: [
    { code: 's', label: { en: 'S' } },
    { code: 'm', label: { en: 'M' } },
    { code: 'l', label: { en: 'L' } },
  ],
};
const colours = {
  code: 'colour',
  name: { en: 'Colour', 'pt-BR': 'Cor', es: 'Color' },
  values: [
    { code: 'blue', label: { en: 'Blue', 'pt-BR': 'Azul', es: 'Azul' } },
    { code: 'white', label: { en: 'White', 'pt-BR': 'Branco', es: 'Blanco' } },
  ],
};

/**
 * A small shop: Clothing (→ Shirts), Accessories, a draft category; five published products and a
 * draft one. Each test file builds it on its own fresh database.
 */
export async function makeShop(services: Services) {
  const { catalog, cms } = services;
  const clothing = await catalog.createCategory({ slug: 'clothing', name: { en: 'Clothing', 'pt-BR': 'Roupas', es: 'Ropa' }, description: { en: 'Things to wear.' }, sortOrder: 1 });
  const shirts = await catalog.createCategory({ slug: 'shirts', name: { en: 'Shirts', 'pt-BR': 'Camisas', es: 'Camisas' }, parentId: clothing._id });
  const accessories = await catalog.createCategory({ slug: 'accessories', name: { en: 'Accessories', 'pt-BR': 'Acessórios', es: 'Accesorios' }, sortOrder: 2 });
  const hidden = await catalog.createCategory({ slug: 'hidden', name: { en: 'Hidden' }, status: 'draft' });

  const shirt = await catalog.createProduct({
    slug: 'blue-shirt', title: { en: 'Blue linen shirt', 'pt-BR': 'Camisa de linho azul', es: 'Camisa de lino azul' },
    description: { en: 'A **breathable** shirt for summer. Pairs with the scarf.', 'pt-BR': 'Uma camisa fresca para o verão.' },
    price: eur(2000), categoryIds: [shirts._id], tags: ['linen', 'summer'], options: [sizes, colours], featuredRank: 5,
    variants: [
      { sku: 'SH-S-B', options: { size: 's', colour: 'blue' }, stock: 0, weight: 200 },
      { sku: 'SH-M-B', options: { size: 'm', colour: 'blue' }, stock: 3, weight: 200 },
      { sku: 'SH-L-W', options: { size: 'l', colour: 'white' }, stock: 10, weight: 220, price: eur(2200) },
    ],
  });
  const dress = await catalog.createProduct({
    slug: 'red-dress', title: { en: 'Red summer dress', 'pt-BR': 'Vestido vermelho de verão', es: 'Vestido rojo de verano' },
    description: { en: 'Light cotton dress.' }, price: eur(5000), compareAtPrice: eur(6000), categoryIds: [clothing._id],
    tags: ['cotton'], options: [sizes], featuredRank: 1,
    variants: [
      { sku: 'DR-S', options: { size: 's' }, stock: 0, weight: 300 },
      { sku: 'DR-M', options: { size: 'm' }, stock: 8, weight: 300 },
    ],
  });
  const coat = await catalog.createProduct({
    slug: 'old-coat', title: { en: 'Wool coat', 'pt-BR': 'Casaco de lã', es: 'Abrigo de lana' }, description: { en: 'Warm. Sold out.' },
    price: eur(9000), categoryIds: [clothing._id], options: [sizes], featuredRank: 3,
    variants: [{ sku: 'CO-L', options: { size: 'l' }, stock: 0, weight: 900 }],
  });
  const scarf = await catalog.createProduct({
    slug: 'wool-scarf', title: { en: 'Café scarf', 'pt-BR': 'Cachecol café', es: 'Bufanda café' }, description: { en: 'Soft merino scarf in coffee brown.' },
    price: eur(1500), categoryIds: [accessories._id], tags: ['wool', 'winter'], featuredRank: 2,
    variants: [{ sku: 'SC-1', options: {}, stock: 4, weight: 100 }],
  });
  const draft = await catalog.createProduct({
    slug: 'secret-shirt', title: { en: 'Secret shirt' }, price: eur(1000), categoryIds: [shirts._id], status: 'draft',
    variants: [{ sku: 'SE-1', options: {}, stock: 5, weight: 100 }],
  });
  const about = await cms.createPage({
    slug: 'about', title: { en: 'About us', 'pt-BR': 'Sobre nós', es: 'Sobre nosotros' },
    body: { en: 'We sell **good** things. [Mail us](mailto:hi@example.com)', 'pt-BR': 'Vendemos coisas **boas**.' },
    seoDescription: { en: 'Who we are and how we work.' },
  });
  return { clothing, shirts, accessories, hidden, shirt, dress, coat, scarf, draft, about };
}
