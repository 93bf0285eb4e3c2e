import type { ProductOption, Translated } from '../../modules/catalog/types.js';

/** Option values of the demo shop; `factor` scales the price of a variant (bigger poster, bigger board). */
export interface OptionValue {
  code: string;
  label: Translated;
  factor?: number;
  /** Colour swatch for the generated picture. */
  hex?: string;
}

export interface OptionSpec {
  code: string;
  name: Translated;
  values: readonly OptionValue[];
}

const same = (text: string): Translated => ({ en: text, 'pt-BR': text, es: text });

export const COLOURS: readonly OptionValue[] = [
  { code: 'black', label: { en: 'Black', 'pt-BR': 'Preto', es: 'Negro' }, hex: '#1f1f24' },
  { code: 'white', label: { en: 'White', 'pt-BR': 'Branco', es: 'Blanco' }, hex: '#f4f1ea' },
  { code: 'navy', label: { en: 'Navy', 'pt-BR': 'Azul-marinho', es: 'Azul marino' }, hex: '#22325a' },
  { code: 'red', label: { en: 'Red', 'pt-BR': 'Vermelho', es: 'Rojo' }, hex: '#b83a32' },
  { code: 'green', label: { en: 'Green', 'pt-BR': 'Verde', es: 'Verde' }, hex: '#3d6b4a' },
  { code: 'grey', label: { en: 'Grey', 'pt-BR': 'Cinza', es: 'Gris' }, hex: '#8a8d91' },
  { code: 'mustard', label: { en: 'Mustard', 'pt-BR': 'Mostarda', es: 'Mostaza' }, hex: '#d1a23a' },
  { code: 'sand', label: { en: 'Sand', 'pt-BR': 'Areia', es: 'Arena' }, hex: '#d8c3a0' },
  { code: 'blue', label: { en: 'Sky blue', 'pt-BR': 'Azul-celeste', es: 'Azul cielo' }, hex: '#5b9bd5' },
];

export const OPTION_SPECS = {
  size: {
    code: 'size',
    name: { en: 'Size', 'pt-BR': 'Tamanho', es: 'Talla' },
    values: ['xs', 's', 'm', 'l', 'xl'].map((code) => ({ code, label: same(code.toUpperCase()), factor: code === 'xl' ? 1.1 : 1 })),
  },
  colour: { code: 'colour', name: { en: 'Colour', 'pt-BR': 'Cor', es: 'Color' }, values: COLOURS },
  sockSize: {
    code: 'size',
    name: { en: 'Size', 'pt-BR': 'Tamanho', es: 'Talla' },
    values: [
      { code: '35-38', label: same('35–38') },
      { code: '39-42', label: same('39–42') },
      { code: '43-46', label: same('43–46') },
    ],
  },
  posterSize: {
    code: 'size',
    name: { en: 'Size', 'pt-BR': 'Tamanho', es: 'Tamaño' },
    values: [
      { code: 'a4', label: same('A4'), factor: 1 },
      { code: 'a3', label: same('A3'), factor: 1.5 },
      { code: '50x70', label: same('50 × 70 cm'), factor: 2.4 },
    ],
  },
  boardSize: {
    code: 'size',
    name: { en: 'Size', 'pt-BR': 'Tamanho', es: 'Tamaño' },
    values: [
      { code: 's', label: { en: 'Small', 'pt-BR': 'Pequena', es: 'Pequeña' }, factor: 1 },
      { code: 'm', label: { en: 'Medium', 'pt-BR': 'Média', es: 'Mediana' }, factor: 1.3 },
      { code: 'l', label: { en: 'Large', 'pt-BR': 'Grande', es: 'Grande' }, factor: 1.6 },
    ],
  },
  scent: {
    code: 'scent',
    name: { en: 'Scent', 'pt-BR': 'Aroma', es: 'Aroma' },
    values: [
      { code: 'fig', label: { en: 'Fig', 'pt-BR': 'Figo', es: 'Higo' } },
      { code: 'cedar', label: { en: 'Cedar', 'pt-BR': 'Cedro', es: 'Cedro' } },
      { code: 'citrus', label: { en: 'Citrus', 'pt-BR': 'Cítricos', es: 'Cítricos' } },
      { code: 'lavender', label: { en: 'Lavender', 'pt-BR': 'Lavanda', es: 'Lavanda' } },
    ],
  },
} satisfies Record<string, OptionSpec>;

export type OptionKind = keyof typeof OPTION_SPECS;

/** The document form of an option restricted to the chosen values. */
export function toProductOption(spec: OptionSpec, values: readonly OptionValue[]): ProductOption {
  return { code: spec.code, name: spec.name, values: values.map((v) => ({ code: v.code, label: v.label })) };
}
