import type { Translated } from '../../modules/catalog/types.js';
import type { OptionKind } from './options.js';
import type { Silhouette } from './silhouettes.js';

/**
 * Product families of the demo shop: each design of a family becomes one product, titled with the
 * family's template ("{d} T-shirt" / "Camiseta {d}"), described with its blurb and features.
 */
export interface Family {
  key: string;
  category: string;
  silhouette: Silhouette;
  skuPrefix: string;
  title: Translated;
  /** [slug part, en, pt-BR, es] */
  designs: readonly (readonly [string, string, string, string])[];
  /** Price range in whole euros; prices end in .90 or .99. */
  price: readonly [number, number];
  options: readonly OptionKind[];
  blurb: Translated;
  features: readonly Translated[];
  tags: readonly string[];
  weight: number;
  digital?: 'pdf' | 'png';
}

const DESIGNS_A = [
  ['mountain', 'Mountain', 'Montanha', 'Montaña'], ['wave', 'Wave', 'Onda', 'Ola'], ['sunrise', 'Sunrise', 'Amanhecer', 'Amanecer'],
  ['botanical', 'Botanical', 'Botânica', 'Botánica'], ['stripe', 'Breton Stripe', 'Listrada', 'Rayas'], ['pocket', 'Pocket', 'Bolso', 'Bolsillo'],
  ['minimal', 'Minimal', 'Minimalista', 'Minimalista'], ['geometric', 'Geometric', 'Geométrica', 'Geométrica'], ['ocean', 'Ocean', 'Oceano', 'Océano'],
  ['city', 'City Lights', 'Luzes da Cidade', 'Luces de Ciudad'], ['forest', 'Forest', 'Floresta', 'Bosque'], ['vintage', 'Vintage Logo', 'Logo Vintage', 'Logo Vintage'],
] as const;

export const FAMILIES: readonly Family[] = [
  {
    key: 'tee', category: 't-shirts', silhouette: 'tee', skuPrefix: 'TEE', price: [19, 32], options: ['size', 'colour'], weight: 180,
    title: { en: '{d} T-shirt', 'pt-BR': 'Camiseta {d}', es: 'Camiseta {d}' },
    designs: DESIGNS_A,
    blurb: {
      en: 'is cut from heavyweight organic cotton with a relaxed fit and a print that will not crack.',
      'pt-BR': 'é feita de algodão orgânico encorpado, com caimento solto e uma estampa que não racha.',
      es: 'está confeccionada en algodón orgánico grueso, con un corte holgado y un estampado que no se agrieta.',
    },
    features: [
      { en: '100% organic cotton, 180 g/m²', 'pt-BR': '100% algodão orgânico, 180 g/m²', es: '100% algodón orgánico, 180 g/m²' },
      { en: 'Water-based inks', 'pt-BR': 'Tintas à base de água', es: 'Tintas al agua' },
      { en: 'Pre-shrunk: the size you buy is the size you keep', 'pt-BR': 'Pré-encolhida: o tamanho não muda', es: 'Preencogida: la talla no cambia' },
    ],
    tags: ['t-shirt', 'cotton', 'organic'],
  },
  {
    key: 'hoodie', category: 'hoodies', silhouette: 'hoodie', skuPrefix: 'HOOD', price: [49, 72], options: ['size', 'colour'], weight: 520,
    title: { en: '{d} Hoodie', 'pt-BR': 'Moletom {d}', es: 'Sudadera {d}' },
    designs: DESIGNS_A.slice(0, 8),
    blurb: {
      en: 'is a brushed-fleece hoodie with a lined hood and a kangaroo pocket, warm without being bulky.',
      'pt-BR': 'é um moletom flanelado com capuz forrado e bolso canguru, quente sem pesar.',
      es: 'es una sudadera de felpa cepillada con capucha forrada y bolsillo canguro, abriga sin abultar.',
    },
    features: [
      { en: '80% organic cotton, 20% recycled polyester', 'pt-BR': '80% algodão orgânico, 20% poliéster reciclado', es: '80% algodón orgánico, 20% poliéster reciclado' },
      { en: 'Ribbed cuffs and hem', 'pt-BR': 'Punhos e barra canelados', es: 'Puños y bajo acanalados' },
      { en: 'Embroidered design', 'pt-BR': 'Desenho bordado', es: 'Diseño bordado' },
    ],
    tags: ['hoodie', 'sweatshirt', 'fleece'],
  },
  {
    key: 'cap', category: 'accessories', silhouette: 'cap', skuPrefix: 'CAP', price: [22, 29], options: ['colour'], weight: 90,
    title: { en: '{d} Cap', 'pt-BR': 'Boné {d}', es: 'Gorra {d}' },
    designs: [['classic', 'Classic', 'Clássico', 'Clásica'], ['trail', 'Trail', 'Trilha', 'Sendero'], ['harbour', 'Harbour', 'Porto', 'Puerto'], ['dune', 'Dune', 'Duna', 'Duna'], ['field', 'Field', 'Campo', 'Campo']],
    blurb: {
      en: 'is a six-panel cap in washed cotton twill with an adjustable brass buckle.',
      'pt-BR': 'é um boné de seis gomos em sarja de algodão lavada, com fivela de latão ajustável.',
      es: 'es una gorra de seis paneles en sarga de algodón lavada con hebilla de latón ajustable.',
    },
    features: [
      { en: 'One size fits most', 'pt-BR': 'Tamanho único', es: 'Talla única' },
      { en: 'Embroidered eyelets', 'pt-BR': 'Ilhoses bordados', es: 'Ojales bordados' },
    ],
    tags: ['cap', 'hat'],
  },
  {
    key: 'tote', category: 'accessories', silhouette: 'bag', skuPrefix: 'TOTE', price: [15, 24], options: ['colour'], weight: 150,
    title: { en: '{d} Tote Bag', 'pt-BR': 'Sacola {d}', es: 'Bolsa {d}' },
    designs: [['market', 'Market', 'Feira', 'Mercado'], ['library', 'Library', 'Biblioteca', 'Biblioteca'], ['weekend', 'Weekend', 'Fim de Semana', 'Fin de Semana'], ['canvas', 'Plain Canvas', 'Lona Lisa', 'Lona Lisa'], ['beach', 'Beach', 'Praia', 'Playa']],
    blurb: {
      en: 'is a sturdy canvas tote with long handles and an inside pocket for your keys.',
      'pt-BR': 'é uma sacola de lona resistente com alças longas e bolso interno para as chaves.',
      es: 'es una bolsa de lona resistente con asas largas y bolsillo interior para las llaves.',
    },
    features: [
      { en: 'Holds up to 15 kg', 'pt-BR': 'Aguenta até 15 kg', es: 'Soporta hasta 15 kg' },
      { en: 'Recycled cotton canvas', 'pt-BR': 'Lona de algodão reciclado', es: 'Lona de algodón reciclado' },
    ],
    tags: ['bag', 'tote', 'canvas'],
  },
  {
    key: 'socks', category: 'accessories', silhouette: 'socks', skuPrefix: 'SOCK', price: [9, 14], options: ['sockSize', 'colour'], weight: 60,
    title: { en: '{d} Socks', 'pt-BR': 'Meias {d}', es: 'Calcetines {d}' },
    designs: [['rib', 'Ribbed', 'Canelada', 'Canalé'], ['dots', 'Polka Dot', 'Poá', 'Lunares'], ['hiking', 'Hiking', 'Trilha', 'Senderismo'], ['stripe', 'Stripe', 'Listrada', 'Rayas'], ['wool', 'Merino', 'Merino', 'Merino']],
    blurb: {
      en: 'are soft, breathable socks with a reinforced heel and toe.',
      'pt-BR': 'são meias macias e respiráveis, com calcanhar e ponta reforçados.',
      es: 'son calcetines suaves y transpirables con talón y puntera reforzados.',
    },
    features: [
      { en: 'Seamless toe', 'pt-BR': 'Ponta sem costura', es: 'Puntera sin costuras' },
      { en: 'Machine washable at 40 °C', 'pt-BR': 'Lavável na máquina a 40 °C', es: 'Lavable a máquina a 40 °C' },
    ],
    tags: ['socks'],
  },
  {
    key: 'mug', category: 'kitchen', silhouette: 'mug', skuPrefix: 'MUG', price: [14, 22], options: ['colour'], weight: 380,
    title: { en: '{d} Mug', 'pt-BR': 'Caneca {d}', es: 'Taza {d}' },
    designs: [['speckled', 'Speckled', 'Pontilhada', 'Moteada'], ['morning', 'Morning', 'Manhã', 'Mañana'], ['stoneware', 'Stoneware', 'Grés', 'Gres'], ['diner', 'Diner', 'Lanchonete', 'Cafetería'], ['glazed', 'Glazed', 'Esmaltada', 'Esmaltada'], ['tall', 'Tall Latte', 'Latte Alta', 'Latte Alta']],
    blurb: {
      en: 'is a hand-glazed stoneware mug that holds 350 ml and feels good in both hands.',
      'pt-BR': 'é uma caneca de grés esmaltada à mão, com 350 ml, gostosa de segurar.',
      es: 'es una taza de gres esmaltada a mano de 350 ml, agradable de sostener.',
    },
    features: [
      { en: 'Dishwasher and microwave safe', 'pt-BR': 'Pode ir à lava-louças e ao micro-ondas', es: 'Apta para lavavajillas y microondas' },
      { en: 'Each glaze is slightly different', 'pt-BR': 'Cada esmalte é um pouco diferente', es: 'Cada esmaltado es ligeramente distinto' },
    ],
    tags: ['mug', 'coffee', 'ceramic'],
  },
  {
    key: 'board', category: 'kitchen', silhouette: 'board', skuPrefix: 'BRD', price: [29, 45], options: ['boardSize'], weight: 900,
    title: { en: '{d} Cutting Board', 'pt-BR': 'Tábua {d}', es: 'Tabla {d}' },
    designs: [['oak', 'Oak', 'Carvalho', 'Roble'], ['walnut', 'Walnut', 'Nogueira', 'Nogal'], ['olive', 'Olive Wood', 'Oliveira', 'Olivo'], ['end-grain', 'End Grain', 'Topo', 'Testa']],
    blurb: {
      en: 'is a solid-wood board finished with food-safe oil, gentle on your knives.',
      'pt-BR': 'é uma tábua de madeira maciça com acabamento em óleo atóxico, suave para as facas.',
      es: 'es una tabla de madera maciza acabada con aceite apto para alimentos, suave con los cuchillos.',
    },
    features: [
      { en: 'FSC-certified wood', 'pt-BR': 'Madeira certificada FSC', es: 'Madera con certificado FSC' },
      { en: 'Juice groove on one side', 'pt-BR': 'Canaleta para líquidos de um lado', es: 'Ranura para jugos en una cara' },
    ],
    tags: ['kitchen', 'wood', 'board'],
  },
  {
    key: 'apron', category: 'kitchen', silhouette: 'apron', skuPrefix: 'APR', price: [26, 34], options: ['colour'], weight: 250,
    title: { en: '{d} Apron', 'pt-BR': 'Avental {d}', es: 'Delantal {d}' },
    designs: [['chef', 'Chef', 'Chef', 'Chef'], ['baker', 'Baker', 'Padeiro', 'Panadero'], ['workshop', 'Workshop', 'Oficina', 'Taller']],
    blurb: {
      en: 'is a heavy linen-cotton apron with cross-back straps and two deep pockets.',
      'pt-BR': 'é um avental de linho e algodão com alças cruzadas nas costas e dois bolsos fundos.',
      es: 'es un delantal de lino y algodón con tirantes cruzados y dos bolsillos profundos.',
    },
    features: [
      { en: 'Adjustable straps', 'pt-BR': 'Alças ajustáveis', es: 'Tirantes ajustables' },
      { en: 'Softens with every wash', 'pt-BR': 'Fica mais macio a cada lavagem', es: 'Se suaviza con cada lavado' },
    ],
    tags: ['apron', 'linen', 'kitchen'],
  },
  {
    key: 'poster', category: 'decor', silhouette: 'poster', skuPrefix: 'PST', price: [18, 26], options: ['posterSize'], weight: 200,
    title: { en: '{d} Poster', 'pt-BR': 'Pôster {d}', es: 'Lámina {d}' },
    designs: [['alps', 'Alps', 'Alpes', 'Alpes'], ['lisbon', 'Lisbon', 'Lisboa', 'Lisboa'], ['tide', 'Tide', 'Maré', 'Marea'], ['fern', 'Fern', 'Samambaia', 'Helecho'], ['night-sky', 'Night Sky', 'Céu Noturno', 'Cielo Nocturno'], ['desert', 'Desert', 'Deserto', 'Desierto'], ['citrus', 'Citrus', 'Cítricos', 'Cítricos']],
    blurb: {
      en: 'is printed on heavy matte paper with archival inks; frame not included.',
      'pt-BR': 'é impresso em papel fosco encorpado com tintas de arquivo; moldura não incluída.',
      es: 'está impresa en papel mate grueso con tintas de archivo; marco no incluido.',
    },
    features: [
      { en: '250 g/m² matte paper', 'pt-BR': 'Papel fosco de 250 g/m²', es: 'Papel mate de 250 g/m²' },
      { en: 'Shipped rolled in a tube', 'pt-BR': 'Enviado enrolado em tubo', es: 'Se envía enrollada en un tubo' },
    ],
    tags: ['poster', 'print', 'wall art'],
  },
  {
    key: 'cushion', category: 'decor', silhouette: 'cushion', skuPrefix: 'CSH', price: [32, 44], options: ['colour'], weight: 600,
    title: { en: '{d} Cushion', 'pt-BR': 'Almofada {d}', es: 'Cojín {d}' },
    designs: [['linen', 'Linen', 'Linho', 'Lino'], ['velvet', 'Velvet', 'Veludo', 'Terciopelo'], ['woven', 'Woven', 'Tecida', 'Tejido'], ['tufted', 'Tufted', 'Capitonê', 'Capitoné']],
    blurb: {
      en: 'comes with a removable cover and a feather-free filling that keeps its loft.',
      'pt-BR': 'vem com capa removível e enchimento sem penas que não perde o volume.',
      es: 'viene con funda extraíble y un relleno sin plumas que no pierde volumen.',
    },
    features: [
      { en: '45 × 45 cm', 'pt-BR': '45 × 45 cm', es: '45 × 45 cm' },
      { en: 'Hidden zip', 'pt-BR': 'Zíper invisível', es: 'Cremallera oculta' },
    ],
    tags: ['cushion', 'pillow', 'textile'],
  },
  {
    key: 'candle', category: 'decor', silhouette: 'candle', skuPrefix: 'CND', price: [19, 28], options: ['scent'], weight: 320,
    title: { en: '{d} Candle', 'pt-BR': 'Vela {d}', es: 'Vela {d}' },
    designs: [['amber', 'Amber Jar', 'Pote Âmbar', 'Tarro Ámbar'], ['concrete', 'Concrete', 'Concreto', 'Hormigón'], ['travel', 'Travel Tin', 'Lata de Viagem', 'Lata de Viaje'], ['pillar', 'Pillar', 'Pilar', 'Pilar']],
    blurb: {
      en: 'is poured by hand from rapeseed wax with a cotton wick; about 40 hours of calm.',
      'pt-BR': 'é feita à mão com cera de colza e pavio de algodão: cerca de 40 horas de calma.',
      es: 'está vertida a mano con cera de colza y mecha de algodón: unas 40 horas de calma.',
    },
    features: [
      { en: 'Vegan wax', 'pt-BR': 'Cera vegana', es: 'Cera vegana' },
      { en: 'Reusable container', 'pt-BR': 'Recipiente reutilizável', es: 'Recipiente reutilizable' },
    ],
    tags: ['candle', 'scented'],
  },
  {
    key: 'ebook', category: 'digital', silhouette: 'book', skuPrefix: 'EBK', price: [7, 15], options: [], weight: 0, digital: 'pdf',
    title: { en: '{d} (e-book)', 'pt-BR': '{d} (e-book)', es: '{d} (e-book)' },
    designs: [['slow-kitchen', 'The Slow Kitchen', 'A Cozinha sem Pressa', 'La Cocina sin Prisa'], ['mending', 'Visible Mending', 'Remendos à Vista', 'Zurcido Visible'], ['small-spaces', 'Small Spaces', 'Espaços Pequenos', 'Espacios Pequeños']],
    blurb: {
      en: 'is a practical, illustrated guide in PDF, yours to keep and print.',
      'pt-BR': 'é um guia prático e ilustrado em PDF, para guardar e imprimir.',
      es: 'es una guía práctica e ilustrada en PDF, para guardar e imprimir.',
    },
    features: [
      { en: 'Instant download after payment', 'pt-BR': 'Download imediato após o pagamento', es: 'Descarga inmediata tras el pago' },
      { en: 'Up to 5 downloads', 'pt-BR': 'Até 5 downloads', es: 'Hasta 5 descargas' },
    ],
    tags: ['ebook', 'pdf', 'digital'],
  },
  {
    key: 'wallpaper', category: 'digital', silhouette: 'screen', skuPrefix: 'WLP', price: [3, 6], options: [], weight: 0, digital: 'png',
    title: { en: '{d} Wallpaper', 'pt-BR': 'Papel de Parede {d}', es: 'Fondo de Pantalla {d}' },
    designs: [['aurora', 'Aurora', 'Aurora', 'Aurora'], ['terrazzo', 'Terrazzo', 'Granilite', 'Terrazo'], ['dusk', 'Dusk', 'Crepúsculo', 'Crepúsculo']],
    blurb: {
      en: 'is a high-resolution wallpaper for desktop and phone screens.',
      'pt-BR': 'é um papel de parede em alta resolução para computador e celular.',
      es: 'es un fondo de pantalla en alta resolución para ordenador y móvil.',
    },
    features: [
      { en: 'PNG, 1920 × 1080', 'pt-BR': 'PNG, 1920 × 1080', es: 'PNG, 1920 × 1080' },
      { en: 'Personal use licence', 'pt-BR': 'Licença para uso pessoal', es: 'Licencia de uso personal' },
    ],
    tags: ['wallpaper', 'digital', 'background'],
  },
];
