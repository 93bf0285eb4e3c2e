/**
 * Group commit. An append schedules a round (write + fdatasync) for the end of the current
 * event-loop turn (setImmediate), so the requests of every socket read in that turn share it;
 * appends that arrive while a round runs queue up and all go out in the next round.
 * A write or fsync error fails every waiter and every later append: after a failed fsync the
 * kernel may have dropped the dirty pages, so nothing written since the last good sync can be
 * trusted, and acknowledging anything more would be a lie.
 */
import { writeAll } from './fs-util.js';
import type { FileHandle } from 'node:fs/promises';

/** The journal file as the writer uses it; tests wrap it to count syncs or inject errors. */
export interface JournalSink {
  /** Appends at the end of the file. */
  write(chunks: readonly Buffer[]): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function fileSink(handle: FileHandle): JournalSink {
  return {
    write: async (chunks) => {
      await writeAll(handle, chunks);
    },
    sync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    read: async (position, length) => {
      const buf = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buf, done, length - done, position + done);
        if (bytesRead === 0) throw new Error(`journal shorter than expected (${position + done} < ${position + length})`);
        done += bytesRead;
      }
      return buf;
    },
    close: () => handle.close(),
  };
}

interface Pending {
  seq: number;
  records: Buffer[];
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Exclusive {
  run: () => Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class JournalWriter {
  /** Bytes in the journal that are written and synced. */
  size: number;
  syncs = 0;
  rounds = 0;
  private queue: Pending[] = [];
  private exclusive: Exclusive[] = [];
  private pumping = false;
  private scheduled = false;
  private failure: Error | undefined;
  /** While a compaction runs: where each record written since it began starts. */
  private tracked: { seq: number; offset: number }[] | undefined;

  constructor(
    public sink: JournalSink,
    size: number,
    private readonly onFailure: (err: Error) => void,
  ) {
    this.size = size;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  append(seq: number, records: Buffer[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ seq, records, resolve, reject });
      this.schedule();
    });
  }

  /** Runs `fn` between rounds: no write is in flight while it runs, and queued appends wait. */
  runExclusive(fn: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.exclusive.push({ run: fn, resolve, reject });
      void this.pump();
    });
  }

  /** Resolves when everything appended before the call is durable (or rejects if it failed). */
  flush(): Promise<void> {
    return this.runExclusive(async () => {
      if (this.failure) throw this.failure;
    });
  }

  startTracking(): void {
    this.tracked = [];
  }

  stopTracking(): { seq: number; offset: number }[] {
    const tracked = this.tracked ?? [];
    this.tracked = undefined;
    return tracked;
  }

  /** Marks the journal unusable from now on (also used by compaction when a swap fails halfway). */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const waiting = this.queue;
    this.queue = [];
    for (const p of waiting) p.reject(err);
    this.onFailure(err);
  }

  private schedule(): void {
    if (this.pumping || this.scheduled) return; // a running pump picks the queue up
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      // At most one round between exclusive tasks, so neither side starves.
      while (this.queue.length > 0 || this.exclusive.length > 0) {
        if (this.queue.length > 0) await this.round();
        const task = this.exclusive.shift();
        if (task) {
          try {
            await task.run();
            task.resolve();
          } catch (err) {
            task.reject(err);
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async round(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    if (this.failure) {
      for (const p of batch) p.reject(this.failure);
      return;
    }
    const chunks: Buffer[] = [];
    let offset = this.size;
    for (const p of batch) {
      this.tracked?.push({ seq: p.seq, offset });
      for (const r of p.records) {
        chunks.push(r);
        offset += r.length;
      }
    }
    try {
      this.rounds++;
      await this.sink.write(chunks);
      this.syncs++;
      await this.sink.sync();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const failure = new Error(`Journal write failed (${reason}); the write was not saved. Restart the database server.`);
      for (const p of batch) p.reject(failure);
      this.fail(failure);
      return;
    }
    this.size = offset;
    for (const p of batch) p.resolve();
  }
}
