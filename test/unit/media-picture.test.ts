import { Eta } from 'eta';
import { ObjectId } from 'mongodb';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { pictureModel, type PictureOptions } from '../../src/modules/media/picture.js';
import { variantWidths } from '../../src/modules/media/widths.js';
import { viewsDir } from '../../src/paths.js';

const eta = new Eta({ views: viewsDir, autoEscape: true });
const id = new ObjectId('0123456789abcdef01234567');

function render(width: number, height: number, options: PictureOptions, format?: 'png' | 'jpeg') {
  const html = eta.render('/partials/picture', { picture: pictureModel({ mediaId: id, width, height, format }, options) });
  return parse(html);
}

describe('variantWidths', () => {
  it('keeps the standard widths below the original, plus the original up to 1280', () => {
    expect(variantWidths(800)).toEqual([320, 640, 800]);
    expect(variantWidths(640)).toEqual([320, 640]);
    expect(variantWidths(200)).toEqual([200]);
    expect(variantWidths(4000)).toEqual([320, 640, 960, 1280]);
  });
});

describe('picture partial', () => {
  it('renders WebP and fallback srcsets, sizes, intrinsic width/height, alt and lazy loading', () => {
    const root = render(800, 600, { alt: 'Blue "mug" <b>', sizes: '(min-width: 40em) 50vw, 100vw' });
    const source = root.querySelector('picture > source');
    const img = root.querySelector('picture > img');
    expect(source?.getAttribute('type')).toBe('image/webp');
    expect(source?.getAttribute('srcset')).toBe(
      `/media/${id.toHexString()}/320.webp 320w, /media/${id.toHexString()}/640.webp 640w, /media/${id.toHexString()}/800.webp 800w`,
    );
    expect(img?.getAttribute('srcset')).toContain(`/media/${id.toHexString()}/800.jpg 800w`);
    expect(img?.getAttribute('src')).toBe(`/media/${id.toHexString()}/640.jpg`);
    expect(img?.getAttribute('sizes')).toBe('(min-width: 40em) 50vw, 100vw');
    expect(source?.getAttribute('sizes')).toBe('(min-width: 40em) 50vw, 100vw');
    expect(img?.getAttribute('width')).toBe('800');
    expect(img?.getAttribute('height')).toBe('600');
    expect(img?.getAttribute('alt')).toBe('Blue "mug" <b>');
    expect(img?.getAttribute('loading')).toBe('lazy');
    expect(img?.hasAttribute('fetchpriority')).toBe(false);
  });

  it('loads eagerly with high priority above the fold, and uses the stored fallback format', () => {
    const img = render(300, 300, { alt: '', eager: true }, 'png').querySelector('img');
    expect(img?.getAttribute('loading')).toBe('eager');
    expect(img?.getAttribute('fetchpriority')).toBe('high');
    expect(img?.getAttribute('src')).toBe(`/media/${id.toHexString()}/300.png`);
    expect(img?.getAttribute('sizes')).toBe('100vw');
    // Decorative image: alt present and empty.
    expect(img?.getAttribute('alt')).toBe('');
  });
});
