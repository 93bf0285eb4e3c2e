import { LOCALES, type Locale } from '../../i18n/locales.js';
import type { Money, ProductOption, Translated, Variant } from '../../modules/catalog/types.js';
import { FAMILIES, type Family } from './families.js';
import { COLOURS, OPTION_SPECS, toProductOption, type OptionValue } from './options.js';
import { hslHex, type PictureSpec } from './pictures.js';
import { createRandom, seedFrom, type Random } from './prng.js';

export const DEMO_CURRENCY = 'EUR';

/** Everything about one demo product except the ids created when it is stored. */
export interface DemoProduct {
  slug: string;
  family: Family;
  title: Translated;
  description: Translated;
  price: Money;
  compareAtPrice?: Money;
  options: ProductOption[];
  variants: Omit<Variant, '_id'>[];
  tags: string[];
  featuredRank: number;
  pictures: PictureSpec[];
  /** Alt text of each picture. */
  alts: Translated[];
}

const money = (amount: number): Money => ({ amount, currency: DEMO_CURRENCY });

function translate(template: Translated, fill: (locale: Locale) => string): Translated {
  const out: Translated = { en: template.en.replace('{d}', fill('en')) };
  for (const l of LOCALES) if (l !== 'en') out[l] = (template[l] ?? template.en).replace('{d}', fill(l));
  return out;
}

const CARE: Translated = {
  en: 'Made in small batches by people we know by name.',
  'pt-BR': 'Feito em pequenos lotes por pessoas que conhecemos pelo nome.',
  es: 'Hecho en pequeñas series por personas a las que conocemos por su nombre.',
};
const DETAILS: Translated = { en: 'Details', 'pt-BR': 'Detalhes', es: 'Detalles' };

function description(family: Family, title: Translated): Translated {
  return translate({ en: '{d}', 'pt-BR': '{d}', es: '{d}' }, (l) => {
    const features = family.features.map((f) => `- ${f[l] ?? f.en}`).join('\n');
    const lead = l === 'en' ? 'The ' : '';
    return `${lead}**${title[l] ?? title.en}** ${family.blurb[l] ?? family.blurb.en}\n\n### ${DETAILS[l] ?? DETAILS.en}\n\n${features}\n\n${CARE[l] ?? CARE.en}`;
  });
}

/** Euros → minor units ending in 90 or 99 (shop prices look like 24,90 €). */
function shopPrice(random: Random, [min, max]: readonly [number, number]): number {
  return random.int(min, max) * 100 + (random.chance(0.5) ? 90 : 99) - 100;
}

/** Some variants sold out, some nearly; a few products sold out entirely (filters need them). */
function stockFor(random: Random, soldOut: boolean, digital: boolean): number {
  if (digital) return 100_000;
  if (soldOut) return 0;
  const roll = random.next();
  if (roll < 0.12) return 0;
  if (roll < 0.27) return random.int(1, 3);
  return random.int(5, 40);
}

function cartesian(lists: readonly (readonly OptionValue[])[]): OptionValue[][] {
  return lists.reduce<OptionValue[][]>((acc, list) => acc.flatMap((combo) => list.map((v) => [...combo, v])), [[]]);
}

function buildProduct(family: Family, design: Family['designs'][number], index: number): DemoProduct {
  const [slugPart, en, pt, es] = design;
  const slug = `${slugPart}-${family.key}`;
  const random = createRandom(seedFrom(slug));
  const title = translate(family.title, (l) => (l === 'pt-BR' ? pt : l === 'es' ? es : en));
  const price = shopPrice(random, family.price);
  const digital = family.digital !== undefined;
  const soldOut = !digital && seedFrom(slug) % 13 === 0;

  // Each product offers a few colours (2–4), always in the palette's order.
  const colourCount = random.int(2, 4);
  const start = random.int(0, COLOURS.length - 1);
  const colours = COLOURS.map((_, i) => COLOURS[(start + i) % COLOURS.length]).slice(0, colourCount).filter((c): c is OptionValue => c !== undefined);
  const specs = family.options.map((kind) => OPTION_SPECS[kind]);
  const chosen = specs.map((spec) => (spec.code === 'colour' ? colours : spec.values));
  const options = specs.map((spec, i) => toProductOption(spec, chosen[i] ?? []));

  const variants = cartesian(chosen).map((combo): Omit<Variant, '_id'> => {
    const factor = combo.reduce((f, v) => f * (v.factor ?? 1), 1);
    const amount = factor === 1 ? undefined : Math.round((price * factor) / 100) * 100 - 10;
    return {
      sku: [family.skuPrefix, String(index + 1).padStart(2, '0'), ...combo.map((v) => v.code)].join('-').toUpperCase(),
      options: Object.fromEntries(combo.map((v, i) => [specs[i]?.code ?? '', v.code])),
      ...(amount !== undefined ? { price: money(amount) } : {}),
      stock: stockFor(random, soldOut, digital),
      weight: family.weight,
    };
  });

  const ownHue = random.int(0, 359);
  const fills = family.options.includes('colour') ? colours.map((c) => c.hex ?? '#555555') : [hslHex(ownHue, 45, 38)];
  // Products with colours get a second picture (the gallery), the rest one.
  const pictures: PictureSpec[] = fills.slice(0, 2).map((fill) => ({ silhouette: family.silhouette, fill, hue: random.int(0, 359), label: en }));
  const alts = pictures.map((_, i) =>
    translate({ en: '{d}', 'pt-BR': '{d}', es: '{d}' }, (l) => {
      const colour = family.options.includes('colour') ? colours[i]?.label[l] : undefined;
      return colour ? `${title[l] ?? title.en} — ${colour}` : (title[l] ?? title.en);
    }),
  );
  const compareAtPrice = random.chance(0.25) ? money(Math.round((price * 1.3) / 100) * 100 - 10) : undefined;

  return {
    slug,
    family,
    title,
    description: description(family, title),
    price: money(price),
    ...(compareAtPrice ? { compareAtPrice } : {}),
    options,
    variants,
    tags: [...family.tags, ...colours.filter(() => family.options.includes('colour')).map((c) => c.code)],
    featuredRank: random.int(0, 100),
    pictures,
    alts,
  };
}

/** The whole demo catalogue, always the same. */
export function demoProducts(): DemoProduct[] {
  return FAMILIES.flatMap((family) => family.designs.map((design, i) => buildProduct(family, design, i)));
}
