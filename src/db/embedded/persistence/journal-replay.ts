/** Replays a journal file's bytes onto a state, stopping at the first record that is not intact. */
import { applyJournalOp, ReplayIndex } from './apply-op.js';
import { parseJournalPayload } from './journal-records.js';
import { findLaterGoodRecord, readRecord, type RecordProblem } from './record-format.js';
import type { SnapshotState } from './types.js';

export interface ReplayResult {
  /** End of the last intact record: the journal is cut here. */
  goodEnd: number;
  /** Highest seq seen (at least `afterSeq`). */
  maxSeq: number;
  applied: number;
  /** Records already covered by the snapshot (left over by a compaction cut short by a crash). */
  skipped: number;
  /** Set when the journal does not end cleanly; `intactAfter` is the offset of a later intact record, if any. */
  damage?: { offset: number; problem: RecordProblem | 'not a journal record'; intactAfter: number | undefined };
}

/**
 * Applies, in order, every record whose seq is above `afterSeq` (the snapshot's lastSeq). A
 * record that is intact but unknown to this version throws (JournalFormatError): never skipped.
 */
export function replayJournal(buf: Buffer, state: SnapshotState, afterSeq: number): ReplayResult {
  const index = new ReplayIndex();
  const result: ReplayResult = { goodEnd: 0, maxSeq: afterSeq, applied: 0, skipped: 0 };
  let offset = 0;
  try {
    while (offset < buf.length) {
      const rec = readRecord(buf, offset);
      const parsed = rec.ok ? parseJournalPayload(rec.payload) : undefined;
      if (!rec.ok || !parsed) {
        const problem = rec.ok ? 'not a journal record' : rec.problem;
        result.damage = { offset, problem, intactAfter: findLaterGoodRecord(buf, offset) };
        break;
      }
      if (parsed.seq > afterSeq) {
        for (const op of parsed.ops) applyJournalOp(state, op, index);
        result.applied++;
        result.maxSeq = Math.max(result.maxSeq, parsed.seq);
      } else {
        result.skipped++;
      }
      offset = rec.end;
      result.goodEnd = offset;
    }
  } finally {
    index.finish();
  }
  return result;
}
