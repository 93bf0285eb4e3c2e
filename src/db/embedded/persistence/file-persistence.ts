/**
 * Durable persistence under a dbPath:
 *   mongod.lock   pid of the owning process (lock-file.ts)
 *   snapshot.bin  full state as of `lastSeq` (snapshot-file.ts)
 *   journal.bin   records appended since, each fsync'd before its write is acknowledged
 * Compaction writes a snapshot covering seq ≤ N, then cuts the journal down to the records
 * with seq > N. A crash in between leaves older records in the journal; replay skips them by seq.
 */
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState } from './apply-op.js';
import { fsyncDir, writeAll } from './fs-util.js';
import { encodeJournalRecords } from './journal-records.js';
import { replayJournal } from './journal-replay.js';
import { fileSink, JournalWriter, type JournalSink } from './journal-writer.js';
import { acquireLock, type DbPathLock } from './lock-file.js';
import { encodeSnapshot, readSnapshot, writeSnapshotFile } from './snapshot-file.js';
import type { JournalOp, Logger, Persistence, PersistenceOptions, SnapshotState } from './types.js';

export const JOURNAL_FILE = 'journal.bin';
export const SNAPSHOT_FILE = 'snapshot.bin';
const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

export interface FilePersistenceOptions extends PersistenceOptions {
  dbPath: string;
  /** For tests: wrap the journal file to count syncs or inject failures. */
  wrapSink?: (sink: JournalSink) => JournalSink;
}

const consoleLogger: Logger = { warn: (m) => console.warn(m), error: (m) => console.error(m) };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class FilePersistence implements Persistence {
  private writer: JournalWriter | undefined;
  private lastSeq = 0;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private snapshots = 0;
  private readonly journalPath: string;
  private readonly snapshotPath: string;
  private readonly logger: Logger;
  private readonly compactAfterBytes: number;

  private constructor(
    private readonly options: FilePersistenceOptions,
    private readonly lock: DbPathLock,
  ) {
    this.journalPath = join(options.dbPath, JOURNAL_FILE);
    this.snapshotPath = join(options.dbPath, SNAPSHOT_FILE);
    this.logger = options.logger ?? consoleLogger;
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
  }

  static async open(options: FilePersistenceOptions): Promise<FilePersistence> {
    await mkdir(options.dbPath, { recursive: true });
    const lock = await acquireLock(options.dbPath, options.logger ?? consoleLogger);
    return new FilePersistence(options, lock);
  }

  /** Counters for tests and diagnostics. */
  stats(): { syncs: number; rounds: number; journalBytes: number; lastSeq: number; snapshots: number } {
    const w = this.writer;
    return { syncs: w?.syncs ?? 0, rounds: w?.rounds ?? 0, journalBytes: w?.size ?? 0, lastSeq: this.lastSeq, snapshots: this.snapshots };
  }

  async load(): Promise<SnapshotState> {
    if (this.writer || this.closed) throw new Error('load() may be called once, before close()');
    try {
      return await this.loadFiles();
    } catch (err) {
      // A start that fails must not leave the directory locked by this process.
      this.closed = true;
      await this.lock.release().catch(() => undefined);
      throw err;
    }
  }

  private async loadFiles(): Promise<SnapshotState> {
    // Leftovers of a compaction cut short: the files they would have replaced are intact.
    await rm(`${this.snapshotPath}.tmp`, { force: true });
    await rm(`${this.journalPath}.tmp`, { force: true });
    const snapshot = await readSnapshot(this.snapshotPath);
    const state = snapshot?.state ?? emptyState();
    const snapshotSeq = snapshot?.lastSeq ?? 0;
    let journal: Buffer;
    let created = false;
    try {
      journal = await readFile(this.journalPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      journal = Buffer.alloc(0);
      created = true;
    }
    const replay = replayJournal(journal, state, snapshotSeq);
    const handle = await open(this.journalPath, 'a+');
    const sink = this.wrap(fileSink(handle));
    try {
      if (created) await fsyncDir(this.journalPath);
      if (replay.damage) await this.cutDamagedJournal(sink, journal.length, replay.goodEnd, replay.damage);
    } catch (err) {
      await sink.close();
      throw err;
    }
    this.lastSeq = replay.maxSeq;
    this.writer = new JournalWriter(sink, replay.goodEnd, (err) => this.logger.error(err.message));
    return state;
  }

  private async cutDamagedJournal(
    sink: JournalSink,
    fileLength: number,
    goodEnd: number,
    damage: NonNullable<ReturnType<typeof replayJournal>['damage']>,
  ): Promise<void> {
    const where = `${this.journalPath} at byte ${damage.offset} of ${fileLength} (${damage.problem})`;
    if (damage.intactAfter === undefined) {
      // The normal trace of a crash during a write: that write was never acknowledged.
      this.logger.warn(`Discarding an incomplete record at the end of the journal: ${where}.`);
    } else {
      const copy = `${this.journalPath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await copyFile(this.journalPath, copy);
      this.logger.error(
        `JOURNAL DAMAGED in the middle: ${where}, with intact records after it (from byte ${damage.intactAfter}). ` +
          `Keeping only the data before the damage; writes after it are LOST. The damaged journal was copied to ${copy}.`,
      );
    }
    await sink.truncate(goodEnd);
    await sink.sync();
  }

  private wrap(sink: JournalSink): JournalSink {
    return this.options.wrapSink ? this.options.wrapSink(sink) : sink;
  }

  append(ops: JournalOp[]): Promise<void> {
    const writer = this.writer;
    if (!writer) return Promise.reject(new Error('append() before load()'));
    if (this.closed) return Promise.reject(new Error('append() after close()'));
    if (ops.length === 0) return Promise.resolve();
    let records: Buffer[];
    try {
      records = encodeJournalRecords(this.lastSeq + 1, ops);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(message(err)));
    }
    this.lastSeq++;
    return writer.append(this.lastSeq, records);
  }

  async compactIfNeeded(getState: () => SnapshotState): Promise<void> {
    const writer = this.writer;
    if (!writer || this.closed || this.compacting || writer.failed) return;
    if (writer.size < this.compactAfterBytes) return;
    await this.compact(getState);
  }

  /** Never rejects: a failed compaction is logged and the journal simply keeps growing. */
  private compact(getState: () => SnapshotState): Promise<void> {
    this.compacting = this.runCompaction(getState)
      .catch((err: unknown) => this.logger.error(`Compaction failed, the journal is kept: ${message(err)}`))
      .finally(() => {
        this.compacting = undefined;
      });
    return this.compacting;
  }

  private async runCompaction(getState: () => SnapshotState): Promise<void> {
    const writer = this.writer as JournalWriter;
    // Synchronous up to the first await: by the ordering contract every op with seq ≤ lastSeq
    // is reflected in getState(), and the encoded snapshot no longer depends on the engine.
    const lastSeq = this.lastSeq;
    const chunks = encodeSnapshot(getState(), lastSeq);
    writer.startTracking();
    try {
      await writeSnapshotFile(this.snapshotPath, chunks);
    } catch (err) {
      writer.stopTracking();
      throw err;
    }
    this.snapshots++;
    await writer.runExclusive(async () => {
      const keepFrom = writer.stopTracking().find((r) => r.seq > lastSeq)?.offset;
      try {
        if (keepFrom === undefined) {
          await writer.sink.truncate(0);
          await writer.sink.sync();
          writer.size = 0;
        } else {
          await this.replaceJournal(writer, keepFrom);
        }
      } catch (err) {
        // The snapshot is safe, but the writer no longer knows the journal's size or file.
        writer.fail(new Error(`Journal truncation after a snapshot failed (${message(err)}). Restart the database server.`));
        throw err;
      }
    });
  }

  /** Writes were acknowledged during the snapshot: keep their records, via temp file + rename. */
  private async replaceJournal(writer: JournalWriter, keepFrom: number): Promise<void> {
    const tail = await writer.sink.read(keepFrom, writer.size - keepFrom);
    const tmp = `${this.journalPath}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await writeAll(handle, [tail]);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.journalPath);
    await fsyncDir(this.journalPath);
    const old = writer.sink;
    writer.sink = this.wrap(fileSink(await open(this.journalPath, 'a+')));
    writer.size = tail.length;
    await old.close();
  }

  async close(getState?: () => SnapshotState): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const writer = this.writer;
    try {
      if (writer) {
        await writer.flush().catch(() => undefined);
        await this.compacting;
        if (getState && !writer.failed && writer.size > 0) await this.compact(getState);
        await writer.sink.close();
      }
    } finally {
      await this.lock.release();
    }
  }
}
