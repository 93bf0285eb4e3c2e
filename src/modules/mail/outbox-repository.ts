import { ObjectId, type Db } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';

/** Messages kept instead of sent when no SMTP_URL is set (development), shown at /admin/outbox. */
export const OUTBOX_COLLECTION = 'outbox';

export interface OutboxMessage {
  _id: ObjectId;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  createdAt: Date;
}

export const outboxIndexes: readonly IndexDeclaration[] = [
  { collection: OUTBOX_COLLECTION, key: { createdAt: -1 }, options: { name: 'createdAt_desc' } },
];

export function createOutboxRepository(db: Db) {
  const outbox = db.collection<OutboxMessage>(OUTBOX_COLLECTION);
  return {
    async insert(message: Omit<OutboxMessage, '_id'>): Promise<ObjectId> {
      const _id = new ObjectId();
      await outbox.insertOne({ _id, ...message });
      return _id;
    },
    latest(limit: number): Promise<OutboxMessage[]> {
      return outbox.find({}).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    },
    find(id: ObjectId): Promise<OutboxMessage | null> {
      return outbox.findOne({ _id: id });
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
