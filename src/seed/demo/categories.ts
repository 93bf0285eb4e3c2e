import type { Translated } from '../../modules/catalog/types.js';

/** The demo category tree (three levels under Clothing), parents before children. */
export interface DemoCategory {
  slug: string;
  parent: string | null;
  name: Translated;
  description: Translated;
  /** Colour of the generated category picture. */
  hue: number;
}

export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  {
    slug: 'clothing', parent: null, hue: 14,
    name: { en: 'Clothing', 'pt-BR': 'Roupas', es: 'Ropa' },
    description: {
      en: 'Soft, durable basics made from organic cotton and recycled fibres.',
      'pt-BR': 'Peças básicas macias e duráveis, de algodão orgânico e fibras recicladas.',
      es: 'Básicos suaves y duraderos de algodón orgánico y fibras recicladas.',
    },
  },
  {
    slug: 'tops', parent: 'clothing', hue: 24,
    name: { en: 'Tops', 'pt-BR': 'Blusas e camisetas', es: 'Partes de arriba' },
    description: {
      en: 'T-shirts and hoodies for every season.',
      'pt-BR': 'Camisetas e moletons para todas as estações.',
      es: 'Camisetas y sudaderas para todas las estaciones.',
    },
  },
  {
    slug: 't-shirts', parent: 'tops', hue: 200,
    name: { en: 'T-shirts', 'pt-BR': 'Camisetas', es: 'Camisetas' },
    description: {
      en: 'Heavyweight organic cotton tees, printed by hand.',
      'pt-BR': 'Camisetas de algodão orgânico encorpado, estampadas à mão.',
      es: 'Camisetas de algodón orgánico grueso, estampadas a mano.',
    },
  },
  {
    slug: 'hoodies', parent: 'tops', hue: 260,
    name: { en: 'Hoodies', 'pt-BR': 'Moletons', es: 'Sudaderas' },
    description: {
      en: 'Brushed fleece hoodies that keep their shape wash after wash.',
      'pt-BR': 'Moletons flanelados que mantêm a forma lavagem após lavagem.',
      es: 'Sudaderas de felpa cepillada que mantienen su forma lavado tras lavado.',
    },
  },
  {
    slug: 'accessories', parent: 'clothing', hue: 330,
    name: { en: 'Accessories', 'pt-BR': 'Acessórios', es: 'Accesorios' },
    description: {
      en: 'Caps, tote bags and socks to finish the look.',
      'pt-BR': 'Bonés, sacolas e meias para completar o visual.',
      es: 'Gorras, bolsas y calcetines para completar el look.',
    },
  },
  {
    slug: 'home', parent: null, hue: 140,
    name: { en: 'Home', 'pt-BR': 'Casa', es: 'Hogar' },
    description: {
      en: 'Useful, beautiful things for the place you live in.',
      'pt-BR': 'Coisas úteis e bonitas para o lugar onde você vive.',
      es: 'Cosas útiles y bonitas para el lugar donde vives.',
    },
  },
  {
    slug: 'kitchen', parent: 'home', hue: 40,
    name: { en: 'Kitchen', 'pt-BR': 'Cozinha', es: 'Cocina' },
    description: {
      en: 'Mugs, boards and aprons for everyday cooking.',
      'pt-BR': 'Canecas, tábuas e aventais para cozinhar todos os dias.',
      es: 'Tazas, tablas y delantales para cocinar cada día.',
    },
  },
  {
    slug: 'decor', parent: 'home', hue: 170,
    name: { en: 'Decor', 'pt-BR': 'Decoração', es: 'Decoración' },
    description: {
      en: 'Posters, cushions and candles that make a room feel like yours.',
      'pt-BR': 'Pôsteres, almofadas e velas que deixam o ambiente com a sua cara.',
      es: 'Láminas, cojines y velas que hacen tuyo cualquier rincón.',
    },
  },
  {
    slug: 'digital', parent: null, hue: 220,
    name: { en: 'Digital', 'pt-BR': 'Digitais', es: 'Digitales' },
    description: {
      en: 'E-books and wallpapers, ready to download right after checkout.',
      'pt-BR': 'E-books e papéis de parede, prontos para baixar logo após a compra.',
      es: 'E-books y fondos de pantalla, listos para descargar nada más comprar.',
    },
  },
];
