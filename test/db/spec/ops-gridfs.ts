// GridFS bucket operations. upload takes `{ $$hexBytes }` as its source; download returns the
// file's bytes (a Buffer), which expectResult checks with $$matchesHexBytes.
import type { GridFSBucket } from 'mongodb';
import { isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import type { EntityMap } from './entities.js';
import { parseHexBytes } from './matcher.js';
import { parseArgs, type OpResult } from './op-args.js';
import { RunnerError } from './runner-error.js';

function sourceBytes(source: unknown): Buffer {
  if (!isDocument(source) || source instanceof Map || Object.keys(source).length !== 1 || !('$$hexBytes' in source)) {
    throw new RunnerError('upload: source must be { $$hexBytes: <hex> }');
  }
  try {
    return Buffer.from(parseHexBytes(source.$$hexBytes));
  } catch (error) {
    throw new RunnerError(`upload: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(parts);
}

const UPLOAD_OPTS = ['chunkSizeBytes', 'metadata', 'contentType', 'aliases', 'disableMD5'] as const;

export async function bucketOperation(bucket: GridFSBucket, name: string, raw: Doc | undefined, entities: EntityMap): Promise<OpResult> {
  switch (name) {
    case 'upload':
    case 'uploadWithId': {
      const required = name === 'upload' ? ['filename', 'source'] : ['id', 'filename', 'source'];
      const a = parseArgs(name, raw, entities, required, UPLOAD_OPTS);
      const { disableMD5, ...options } = a.options();
      // The Node driver never writes md5 (the spec makes it optional), so disableMD5 changes nothing.
      void disableMD5;
      const bytes = sourceBytes(a.need('source'));
      const filename = a.needString('filename');
      const stream =
        name === 'upload'
          ? bucket.openUploadStream(filename, options)
          : bucket.openUploadStreamWithId(a.need('id') as Parameters<GridFSBucket['openUploadStreamWithId']>[0], filename, options);
      await new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve());
        stream.once('error', reject);
        stream.end(bytes);
      });
      return { result: name === 'upload' ? stream.id : undefined };
    }
    case 'download': {
      const a = parseArgs(name, raw, entities, ['id'], []);
      const id = a.need('id') as Parameters<GridFSBucket['openDownloadStream']>[0];
      return { result: await readAll(bucket.openDownloadStream(id)) };
    }
    case 'downloadByName': {
      const a = parseArgs(name, raw, entities, ['filename'], ['revision']);
      return { result: await readAll(bucket.openDownloadStreamByName(a.needString('filename'), a.options())) };
    }
    case 'delete': {
      const a = parseArgs(name, raw, entities, ['id'], []);
      await bucket.delete(a.need('id') as Parameters<GridFSBucket['delete']>[0]);
      return { result: undefined };
    }
    case 'rename': {
      const a = parseArgs(name, raw, entities, ['id', 'newFilename'], []);
      await bucket.rename(a.need('id') as Parameters<GridFSBucket['rename']>[0], a.needString('newFilename'));
      return { result: undefined };
    }
    case 'drop': {
      parseArgs(name, raw, entities, [], []);
      await bucket.drop();
      return { result: undefined };
    }
    case 'find': {
      const a = parseArgs(name, raw, entities, ['filter'], ['sort', 'skip', 'limit', 'batchSize', 'maxTimeMS', 'noCursorTimeout']);
      return { result: await bucket.find(a.needDoc('filter'), a.options()).toArray(), rootArray: true };
    }
    default:
      throw new RunnerError(`unsupported bucket operation "${name}"`);
  }
}
