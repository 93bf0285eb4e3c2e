import sharp from 'sharp';
import { ValidationError } from '../../lib/errors.js';
import { IMAGE_CONTENT_TYPES, type ImageFormat } from './types.js';
import { variantWidths } from './widths.js';

/** Upload limits: a phone photo fits easily; a decompression bomb does not. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;
export const MAX_IMAGE_PIXELS = 40_000_000;

/** Raster formats we accept. SVG is refused: it can carry script and is not resized like a photo. */
const ACCEPTED_INPUTS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

export type ImageRejection = 'not-an-image' | 'unsupported-format' | 'too-large' | 'too-many-pixels' | 'empty';

/** Literal keys so the catalog test sees them used. */
const REJECTION_KEYS: Readonly<Record<ImageRejection, string>> = {
  'not-an-image': 'media.errors.notAnImage',
  'unsupported-format': 'media.errors.unsupportedFormat',
  'too-large': 'media.errors.tooLarge',
  'too-many-pixels': 'media.errors.tooManyPixels',
  empty: 'media.errors.empty',
};

/** An upload that is not a usable image: 422 with a translated message for the `image` field. */
export class ImageRejectedError extends ValidationError {
  constructor(
    readonly reason: ImageRejection,
    params: Record<string, string | number> = {},
  ) {
    const messageKey = REJECTION_KEYS[reason];
    super([{ field: 'image', messageKey, params }], `Image rejected: ${reason}`, { messageKey, params });
  }
}

export interface ProbedImage {
  sourceFormat: string;
  fallbackFormat: ImageFormat;
  /** Dimensions as displayed (after EXIF orientation). */
  width: number;
  height: number;
}

export interface EncodedVariant {
  width: number;
  height: number;
  format: ImageFormat;
  contentType: string;
  data: Buffer;
}

function open(buffer: Buffer): sharp.Sharp {
  // failOn 'error': truncated or corrupt files are refused instead of stored half-grey.
  return sharp(buffer, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', animated: false });
}

/** Checks size, type and dimensions without decoding the pixels. Throws ImageRejectedError. */
export async function probeImage(buffer: Buffer): Promise<ProbedImage> {
  if (buffer.length === 0) throw new ImageRejectedError('empty');
  if (buffer.length > MAX_IMAGE_BYTES) throw new ImageRejectedError('too-large', { maxMb: MAX_IMAGE_BYTES / 1024 / 1024 });
  let meta: sharp.Metadata;
  try {
    meta = await open(buffer).metadata();
  } catch {
    throw new ImageRejectedError('not-an-image');
  }
  const format = meta.format;
  if (format === undefined || !ACCEPTED_INPUTS.has(format)) throw new ImageRejectedError('unsupported-format');
  const rawWidth = meta.width;
  const rawHeight = meta.height;
  if (!rawWidth || !rawHeight) throw new ImageRejectedError('not-an-image');
  if (rawWidth > MAX_IMAGE_SIDE || rawHeight > MAX_IMAGE_SIDE || rawWidth * rawHeight > MAX_IMAGE_PIXELS) {
    throw new ImageRejectedError('too-many-pixels', { max: MAX_IMAGE_SIDE });
  }
  // EXIF orientations 5–8 are rotated by 90°: what people see has width and height swapped.
  const swap = (meta.orientation ?? 1) >= 5;
  const fallbackFormat: ImageFormat =
    format === 'jpeg' || format === 'png' || format === 'webp' ? format : meta.hasAlpha ? 'png' : 'jpeg';
  return {
    sourceFormat: format,
    fallbackFormat,
    width: swap ? rawHeight : rawWidth,
    height: swap ? rawWidth : rawHeight,
  };
}

function encode(pipeline: sharp.Sharp, format: ImageFormat): sharp.Sharp {
  switch (format) {
    case 'webp':
      return pipeline.webp({ quality: 80, effort: 2 });
    case 'jpeg':
      return pipeline.jpeg({ quality: 82, progressive: true });
    case 'png':
      return pipeline.png({ compressionLevel: 8, effort: 4 });
  }
}

/**
 * Every served copy: each width of variantWidths() as WebP and in the fallback format. The pixels
 * are decoded and oriented once; metadata (EXIF with GPS position, …) is dropped from every copy.
 */
export async function encodeVariants(buffer: Buffer, probed: ProbedImage): Promise<EncodedVariant[]> {
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await open(buffer).rotate().raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new ImageRejectedError('not-an-image');
  }
  const { width, height, channels } = raw.info;
  const formats: ImageFormat[] = probed.fallbackFormat === 'webp' ? ['webp'] : ['webp', probed.fallbackFormat];
  const jobs: Promise<EncodedVariant>[] = [];
  for (const w of variantWidths(width)) {
    const h = Math.max(1, Math.round((height * w) / width));
    for (const format of formats) {
      const pipeline = sharp(raw.data, { raw: { width, height, channels } });
      const resized = w === width ? pipeline : pipeline.resize(w, h, { fit: 'fill' });
      jobs.push(
        encode(resized, format)
          .toBuffer()
          .then((data) => ({ width: w, height: h, format, contentType: IMAGE_CONTENT_TYPES[format], data })),
      );
    }
  }
  return Promise.all(jobs);
}
