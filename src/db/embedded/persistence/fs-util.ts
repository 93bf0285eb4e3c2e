/** Small file-system helpers for durable writes. */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes every byte (writev may write less than asked), at the current position. */
export async function writeAll(handle: FileHandle, chunks: readonly Buffer[], position?: number): Promise<number> {
  let pending = chunks.filter((c) => c.length > 0);
  let written = 0;
  // Batches keep each writev under the kernel's iovec limit.
  while (pending.length > 0) {
    const batch = pending.slice(0, 256);
    const { bytesWritten } = await handle.writev(batch, position === undefined ? undefined : position + written);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    written += bytesWritten;
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const c of pending) {
      if (skip >= c.length) skip -= c.length;
      else {
        rest.push(skip > 0 ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    pending = rest;
  }
  return written;
}

/** Makes a rename or a file creation in the directory of `filePath` durable. */
export async function fsyncDir(filePath: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the metadata change itself.
  if (process.platform === 'win32') return;
  const dir = await open(dirname(filePath), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
