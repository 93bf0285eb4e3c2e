/**
 * Open cursors: the rest of a result set, served in batches by getMore. Ids are random
 * positive int64 values; idle cursors are dropped after `timeoutMs` (10 minutes, like mongod).
 */
import { Long } from 'bson';
import { randomBytes } from 'node:crypto';
import type { Doc } from './types.js';

export interface Cursor {
  id: bigint;
  ns: string;
  docs: Doc[];
  position: number;
  /** Applied to each document as it is returned (find projections). */
  project: ((doc: Doc) => Doc) | undefined;
  lastUsed: number;
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, Cursor>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs = 10 * 60 * 1000) {
    this.timer = setInterval(() => this.reap(), Math.min(60_000, Math.max(50, timeoutMs / 2)));
    this.timer.unref();
  }

  open(ns: string, docs: Doc[], position: number, project?: (doc: Doc) => Doc): bigint {
    let id: bigint;
    do id = randomBytes(8).readBigInt64LE() & 0x7fffffffffffffffn;
    while (id === 0n || this.cursors.has(id));
    this.cursors.set(id, { id, ns, docs, position, project, lastUsed: Date.now() });
    return id;
  }

  get(id: bigint): Cursor | undefined {
    const cursor = this.cursors.get(id);
    if (cursor) cursor.lastUsed = Date.now();
    return cursor;
  }

  close(id: bigint): boolean {
    return this.cursors.delete(id);
  }

  reap(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed >= this.timeoutMs) this.cursors.delete(id);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.cursors.clear();
  }
}

export function toBigInt(v: unknown): bigint | undefined {
  if (v instanceof Long) return v.toBigInt();
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  return undefined;
}
