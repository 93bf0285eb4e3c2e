import type { ObjectId } from 'mongodb';

/** Formats we serve. The original upload keeps its own format only when it is one of these. */
export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** URL extension of each format (and back). */
export const FORMAT_EXTENSIONS: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** Metadata of the GridFS file holding an uploaded image as received (its id is the media id). */
export interface OriginalImageMetadata {
  kind: 'original';
  /** Format detected by sharp (e.g. "jpeg", "png", "gif"). */
  sourceFormat: string;
  /** Format of the non-WebP variants (the original's, or png/jpeg for other inputs). */
  fallbackFormat: ImageFormat;
  contentType: string;
  /** Dimensions after EXIF orientation. */
  width: number;
  height: number;
  /** Widths stored as variants, ascending. */
  widths: number[];
  alt?: string;
}

/** Metadata of one resized, re-encoded copy of an original. */
export interface VariantImageMetadata {
  kind: 'variant';
  originalId: ObjectId;
  variantWidth: number;
  height: number;
  format: ImageFormat;
  contentType: string;
}

export type MediaMetadata = OriginalImageMetadata | VariantImageMetadata;

/** What storeImage returns: enough to reference the image from a document and render it. */
export interface StoredImage {
  id: ObjectId;
  width: number;
  height: number;
  /** Format of the fallback (non-WebP) variants; the picture helper needs it for the URLs. */
  format: ImageFormat;
}

/** A variant found for serving. */
export interface VariantFile {
  fileId: ObjectId;
  length: number;
  contentType: string;
}

/** A private downloadable file (digital products), in the `downloads` bucket. */
export interface StoredDownload {
  fileId: ObjectId;
  fileName: string;
  size: number;
}
