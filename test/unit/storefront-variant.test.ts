import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { ProductDoc, Variant } from '../../src/modules/catalog/types.js';
import { chooseVariant } from '../../src/modules/storefront/view-models.js';

/** The variant the product page preselects: in stock when possible, the visitor's explicit choice always. */

const variant = (sku: string, size: string, colour: string, stock: number): Variant => ({ _id: new ObjectId(), sku, options: { size, colour }, stock, weight: 100 });
const options: ProductDoc['options'] = [
  { code: 'size', name: { en: 'Size' }, values: [{ code: 's', label: { en: 'S' } }, { code: 'm', label: { en: 'M' } }] },
  { code: 'colour', name: { en: 'Colour' }, values: [{ code: 'red', label: { en: 'Red' } }, { code: 'blue', label: { en: 'Blue' } }] },
];
const product = { options, variants: [variant('S-RED', 's', 'red', 0), variant('S-BLUE', 's', 'blue', 0), variant('M-RED', 'm', 'red', 0), variant('M-BLUE', 'm', 'blue', 4)] };

describe('chooseVariant', () => {
  it('preselects the first variant in stock, not the first one, when nothing was chosen', () => {
    expect(chooseVariant(product, {})?.sku).toBe('M-BLUE');
  });

  it('prefers an in-stock variant among those matching a partial choice', () => {
    expect(chooseVariant(product, { colour: 'blue' })?.sku).toBe('M-BLUE');
    expect(chooseVariant(product, { size: 'm' })?.sku).toBe('M-BLUE');
    // Nothing of that colour in stock: the first match, shown as sold out.
    expect(chooseVariant(product, { colour: 'red' })?.sku).toBe('S-RED');
  });

  it('keeps an explicit full choice even when it is sold out, and gives nothing for an unknown combination', () => {
    expect(chooseVariant(product, { size: 's', colour: 'blue' })?.sku).toBe('S-BLUE');
    expect(chooseVariant(product, { size: 'x', colour: 'blue' })).toBeUndefined();
  });

  it('falls back to the first variant when none is in stock', () => {
    const soldOut = { options, variants: product.variants.map((v) => ({ ...v, stock: 0 })) };
    expect(chooseVariant(soldOut, {})?.sku).toBe('S-RED');
  });
});
