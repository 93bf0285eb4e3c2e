import { GridFSBucket, type Db, type GridFSFile, type ObjectId } from 'mongodb';
import type { Readable } from 'node:stream';
import type { IndexDeclaration } from '../../db/client.js';
import type { ImageFormat, MediaMetadata, OriginalImageMetadata, VariantFile } from './types.js';

/** Public images (served under /media). */
export const MEDIA_BUCKET = 'media';
/** Private files of digital products: never served by the media routes. */
export const DOWNLOADS_BUCKET = 'downloads';

export const mediaIndexes: readonly IndexDeclaration[] = [
  // The one lookup of every image request: a variant by original, width and format.
  {
    collection: `${MEDIA_BUCKET}.files`,
    key: { 'metadata.originalId': 1, 'metadata.variantWidth': 1, 'metadata.format': 1 },
    options: { name: 'variant_lookup' },
  },
  // GridFS's own indexes, declared so they exist before the first upload (the driver also creates them).
  { collection: `${MEDIA_BUCKET}.chunks`, key: { files_id: 1, n: 1 }, options: { unique: true } },
  { collection: `${MEDIA_BUCKET}.files`, key: { filename: 1, uploadDate: 1 } },
  { collection: `${DOWNLOADS_BUCKET}.chunks`, key: { files_id: 1, n: 1 }, options: { unique: true } },
  { collection: `${DOWNLOADS_BUCKET}.files`, key: { filename: 1, uploadDate: 1 } },
];

type MediaFile = GridFSFile & { metadata?: MediaMetadata };

export interface DownloadFile {
  fileId: ObjectId;
  fileName: string;
  length: number;
  contentType: string;
}

async function upload(bucket: GridFSBucket, filename: string, data: Buffer, metadata: object, id?: ObjectId): Promise<ObjectId> {
  const stream = id ? bucket.openUploadStreamWithId(id, filename, { metadata }) : bucket.openUploadStream(filename, { metadata });
  await new Promise<void>((resolve, reject) => {
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    stream.end(data);
  });
  return stream.id;
}

export function createMediaRepository(db: Db) {
  const media = new GridFSBucket(db, { bucketName: MEDIA_BUCKET });
  const downloads = new GridFSBucket(db, { bucketName: DOWNLOADS_BUCKET });
  const mediaFiles = db.collection<MediaFile>(`${MEDIA_BUCKET}.files`);

  return {
    async insertFile(filename: string, data: Buffer, metadata: MediaMetadata, id?: ObjectId): Promise<ObjectId> {
      return upload(media, filename, data, metadata, id);
    },
    async findVariant(originalId: ObjectId, width: number, format: ImageFormat): Promise<VariantFile | null> {
      const file = await mediaFiles.findOne(
        { 'metadata.originalId': originalId, 'metadata.variantWidth': width, 'metadata.format': format },
        { projection: { _id: 1, length: 1, 'metadata.contentType': 1 } },
      );
      if (!file?.metadata) return null;
      return { fileId: file._id, length: file.length, contentType: file.metadata.contentType };
    },
    async findOriginals(ids: readonly ObjectId[]): Promise<(OriginalImageMetadata & { id: ObjectId })[]> {
      if (ids.length === 0) return [];
      const files = await mediaFiles.find({ _id: { $in: [...ids] }, 'metadata.kind': 'original' }).toArray();
      return files.flatMap((f) => (f.metadata?.kind === 'original' ? [{ ...f.metadata, id: f._id }] : []));
    },
    openMedia(fileId: ObjectId): Readable {
      return media.openDownloadStream(fileId);
    },
    /** Removes an original and all its variants (files and chunks). */
    async deleteImage(id: ObjectId): Promise<number> {
      const files = await mediaFiles.find({ $or: [{ _id: id }, { 'metadata.originalId': id }] }, { projection: { _id: 1 } }).toArray();
      for (const f of files) await media.delete(f._id);
      return files.length;
    },

    async insertDownload(fileName: string, data: Buffer, contentType: string): Promise<ObjectId> {
      return upload(downloads, fileName, data, { contentType });
    },
    async findDownload(fileId: ObjectId): Promise<DownloadFile | null> {
      const file = await db.collection<GridFSFile>(`${DOWNLOADS_BUCKET}.files`).findOne({ _id: fileId });
      if (!file) return null;
      const meta: unknown = file.metadata;
      const contentType =
        typeof meta === 'object' && meta !== null && 'contentType' in meta && typeof meta.contentType === 'string'
          ? meta.contentType
          : 'application/octet-stream';
      return { fileId: file._id, fileName: file.filename, length: file.length, contentType };
    },
    openDownload(fileId: ObjectId): Readable {
      return downloads.openDownloadStream(fileId);
    },
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
