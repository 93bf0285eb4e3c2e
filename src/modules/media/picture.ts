import { FORMAT_EXTENSIONS, IMAGE_CONTENT_TYPES, type ImageFormat } from './types.js';
import { variantWidths } from './widths.js';

/**
 * The data of views/partials/picture.eta, computed from what a document stores about an image
 * (id, width, height — ProductImage has them), without any database read.
 *
 *   <%~ include('/partials/picture', { picture: pictureModel(image, { alt, sizes: '(min-width: 60em) 50vw, 100vw' }) }) %>
 */
export interface PictureImage {
  /** Media id (ObjectId or its hex string). */
  mediaId: { toHexString(): string } | string;
  width: number;
  height: number;
  /** Fallback format; the seed stores JPEG, so that is the default. */
  format?: ImageFormat;
}

export interface PictureOptions {
  alt: string;
  /** The `sizes` attribute: how wide the image is shown. Default: the full viewport width. */
  sizes?: string;
  /** Above the fold (hero, first gallery image): load at once, with high priority. */
  eager?: boolean;
  /** Display width of the `src` fallback; default the variant nearest 640. */
  preferredWidth?: number;
  className?: string;
}

export interface PictureModel {
  webpSrcset: string;
  webpType: string;
  src: string;
  srcset: string;
  fallbackType: string;
  sizes: string;
  width: number;
  height: number;
  alt: string;
  loading: 'lazy' | 'eager';
  fetchpriority: 'high' | 'auto';
  className: string;
}

export function mediaUrl(mediaId: PictureImage['mediaId'], width: number, format: ImageFormat): string {
  const id = typeof mediaId === 'string' ? mediaId : mediaId.toHexString();
  return `/media/${id}/${width}.${FORMAT_EXTENSIONS[format]}`;
}

export function mediaSrcset(image: PictureImage, format: ImageFormat): string {
  return variantWidths(image.width)
    .map((w) => `${mediaUrl(image.mediaId, w, format)} ${w}w`)
    .join(', ');
}

export function pictureModel(image: PictureImage, options: PictureOptions): PictureModel {
  const fallback = image.format ?? 'jpeg';
  const widths = variantWidths(image.width);
  const preferred = options.preferredWidth ?? 640;
  const srcWidth = widths.reduce((best, w) => (Math.abs(w - preferred) < Math.abs(best - preferred) ? w : best), widths[0] ?? image.width);
  return {
    webpSrcset: mediaSrcset(image, 'webp'),
    webpType: IMAGE_CONTENT_TYPES.webp,
    src: mediaUrl(image.mediaId, srcWidth, fallback),
    srcset: mediaSrcset(image, fallback),
    fallbackType: IMAGE_CONTENT_TYPES[fallback],
    sizes: options.sizes ?? '100vw',
    // The intrinsic size: with CSS `height: auto` the browser reserves the box before loading.
    width: image.width,
    height: image.height,
    alt: options.alt,
    loading: options.eager ? 'eager' : 'lazy',
    fetchpriority: options.eager ? 'high' : 'auto',
    className: options.className ?? '',
  };
}
