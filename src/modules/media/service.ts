import { ObjectId } from 'mongodb';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../lib/errors.js';
import { encodeVariants, probeImage } from './image-processing.js';
import type { MediaRepository } from './repository.js';
import { FORMAT_EXTENSIONS, type ImageFormat, type StoredDownload, type StoredImage, type VariantFile } from './types.js';

export interface MediaServiceDeps {
  repository: MediaRepository;
}

export interface StoreImageOptions {
  filename: string;
  alt?: string;
}

export interface StoreDownloadOptions {
  filename: string;
  contentType?: string;
}

/** Digital product files: generous, but bounded (the whole file is held in memory while stored). */
export const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

/** Image info for rendering (hero and category images carry only an id). */
export interface ImageInfo {
  id: ObjectId;
  width: number;
  height: number;
  format: ImageFormat;
  alt: string;
}

const EXTENSION_FORMATS = new Map<string, ImageFormat>(
  (Object.entries(FORMAT_EXTENSIONS) as [ImageFormat, string][]).map(([format, ext]) => [ext, format]),
);

/** "photo.JPG" → "photo": file names are user input; keep them short and plain. */
function cleanName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\w.\- ]+/g, '_').slice(0, 120);
  return cleaned === '' ? 'file' : cleaned;
}

export function createMediaService({ repository }: MediaServiceDeps) {
  return {
    /**
     * Validates an upload with sharp (ImageRejectedError, 422, when it is not an acceptable image),
     * stores it as received plus every variant (widths × WebP and fallback format) in GridFS.
     * Variants are written before the original, so an original that exists is always servable.
     */
    async storeImage(buffer: Buffer, options: StoreImageOptions): Promise<StoredImage> {
      const probed = await probeImage(buffer);
      const variants = await encodeVariants(buffer, probed);
      const id = new ObjectId();
      const name = cleanName(options.filename);
      for (const v of variants) {
        await repository.insertFile(`${name}@${v.width}.${FORMAT_EXTENSIONS[v.format]}`, v.data, {
          kind: 'variant',
          originalId: id,
          variantWidth: v.width,
          height: v.height,
          format: v.format,
          contentType: v.contentType,
        });
      }
      const widths = [...new Set(variants.map((v) => v.width))].sort((a, b) => a - b);
      await repository.insertFile(
        name,
        buffer,
        {
          kind: 'original',
          sourceFormat: probed.sourceFormat,
          fallbackFormat: probed.fallbackFormat,
          contentType: `image/${probed.sourceFormat}`,
          width: probed.width,
          height: probed.height,
          widths,
          ...(options.alt !== undefined ? { alt: options.alt } : {}),
        },
        id,
      );
      return { id, width: probed.width, height: probed.height, format: probed.fallbackFormat };
    },

    /** The stored copy for a URL's width and extension, or null (→ 404). */
    async findVariant(id: ObjectId, width: number, extension: string): Promise<VariantFile | null> {
      const format = EXTENSION_FORMATS.get(extension);
      if (format === undefined) return null;
      return repository.findVariant(id, width, format);
    },

    openVariant(variant: VariantFile): Readable {
      return repository.openMedia(variant.fileId);
    },

    /** Dimensions and format of stored images, for rendering; unknown ids are left out. */
    async imageInfo(ids: readonly ObjectId[]): Promise<Map<string, ImageInfo>> {
      const found = await repository.findOriginals(ids);
      return new Map(
        found.map((o) => [
          o.id.toHexString(),
          { id: o.id, width: o.width, height: o.height, format: o.fallbackFormat, alt: o.alt ?? '' },
        ]),
      );
    },

    async deleteImage(id: ObjectId): Promise<boolean> {
      return (await repository.deleteImage(id)) > 0;
    },

    /** Stores a private file (a digital product's download). Never reachable under /media. */
    async storeDownload(buffer: Buffer, options: StoreDownloadOptions): Promise<StoredDownload> {
      if (buffer.length === 0) throw new ValidationError([{ field: 'file', messageKey: 'media.errors.empty' }]);
      if (buffer.length > MAX_DOWNLOAD_BYTES) {
        throw new ValidationError([{ field: 'file', messageKey: 'media.errors.downloadTooLarge', params: { maxMb: MAX_DOWNLOAD_BYTES / 1024 / 1024 } }]);
      }
      const fileName = cleanName(options.filename);
      const fileId = await repository.insertDownload(fileName, buffer, options.contentType ?? 'application/octet-stream');
      return { fileId, fileName, size: buffer.length };
    },

    /** A download's info and a stream of its bytes, or null; the orders module checks entitlement first. */
    async openDownload(fileId: ObjectId): Promise<{ fileName: string; contentType: string; length: number; stream: Readable } | null> {
      const file = await repository.findDownload(fileId);
      if (!file) return null;
      return { fileName: file.fileName, contentType: file.contentType, length: file.length, stream: repository.openDownload(file.fileId) };
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
