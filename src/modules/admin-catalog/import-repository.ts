import type { Db, ObjectId } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';

/** Product CSV imports: one document per uploaded file, its planned rows and its progress. */
export const PRODUCT_IMPORTS = 'productImports';

export type RowAction = 'create' | 'update' | 'reject' | 'unchanged';

export interface PlannedRow {
  /** Line in the file (the header is line 1). */
  line: number;
  sku: string;
  action: RowAction;
  /** Translation keys with parameters: why a row is rejected, or which columns change. */
  messages: { key: string; params?: Record<string, string | number> }[];
  changed: string[];
  data: Record<string, string>;
  /** After apply: what really happened to this row. */
  outcome?: RowAction;
}

export type ImportStatus = 'planned' | 'running' | 'done' | 'failed';

export interface ImportDoc {
  _id: ObjectId;
  status: ImportStatus;
  fileName: string;
  createdBy: { id: string; email: string };
  ip: string;
  createdAt: Date;
  rows: PlannedRow[];
  total: number;
  processed: number;
  counts: Record<RowAction, number>;
  startedAt?: Date;
  finishedAt?: Date;
  /** Written by the worker applying the job every few seconds: a stale one means the worker is gone. */
  heartbeatAt?: Date;
  /** Failed because its worker stopped (a crash or restart mid-run), not because of a row. */
  interrupted?: boolean;
}

export const importIndexes: readonly IndexDeclaration[] = [{ collection: PRODUCT_IMPORTS, key: { createdAt: -1 } }];

export function createImportRepository(db: Db) {
  const imports = db.collection<ImportDoc>(PRODUCT_IMPORTS);
  return {
    async insert(doc: ImportDoc): Promise<void> {
      await imports.insertOne(doc);
    },
    async byId(id: ObjectId): Promise<ImportDoc | null> {
      return imports.findOne({ _id: id });
    },
    /** Summary only (no rows): the status page while running. */
    async progress(id: ObjectId): Promise<Omit<ImportDoc, 'rows'> | null> {
      return imports.findOne({ _id: id }, { projection: { rows: 0 } });
    },
    /** planned → running, once: a second click on "apply" does nothing. */
    async start(id: ObjectId, at: Date): Promise<boolean> {
      const r = await imports.updateOne({ _id: id, status: 'planned' }, { $set: { status: 'running', startedAt: at, heartbeatAt: at, processed: 0 } });
      return r.modifiedCount === 1;
    },
    async beat(id: ObjectId, at: Date): Promise<void> {
      await imports.updateOne({ _id: id, status: 'running' }, { $set: { heartbeatAt: at } });
    },
    /** running → failed (interrupted) when no worker has beaten since `before`; true if it was. */
    async interruptStale(id: ObjectId, before: Date, at: Date): Promise<boolean> {
      const r = await imports.updateOne(
        { _id: id, status: 'running', $or: [{ heartbeatAt: { $lt: before } }, { heartbeatAt: { $exists: false }, startedAt: { $lt: before } }] },
        { $set: { status: 'failed', interrupted: true, finishedAt: at } },
      );
      return r.modifiedCount === 1;
    },
    async setProgress(id: ObjectId, processed: number, outcomes: Record<number, RowAction>): Promise<void> {
      const set: Record<string, unknown> = { processed };
      for (const [index, outcome] of Object.entries(outcomes)) set[`rows.${index}.outcome`] = outcome;
      await imports.updateOne({ _id: id }, { $set: set });
    },
    async finish(id: ObjectId, status: 'done' | 'failed', counts: Record<RowAction, number>, at: Date): Promise<void> {
      await imports.updateOne({ _id: id }, { $set: { status, counts, finishedAt: at } });
    },
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;
