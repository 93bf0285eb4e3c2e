import { ObjectId, type Db, type Filter } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { AuditEntry, AuditQuery } from './types.js';

export const AUDIT_COLLECTION = 'audit_log';

export const auditIndexes: readonly IndexDeclaration[] = [
  { collection: AUDIT_COLLECTION, key: { at: -1, _id: -1 }, options: { name: 'at' } },
  { collection: AUDIT_COLLECTION, key: { 'actor.email': 1, at: -1 }, options: { name: 'actor_at' } },
  { collection: AUDIT_COLLECTION, key: { 'entity.type': 1, 'entity.id': 1, at: -1 }, options: { name: 'entity_at' } },
  { collection: AUDIT_COLLECTION, key: { action: 1, at: -1 }, options: { name: 'action_at' } },
];

export function auditFilter(query: Omit<AuditQuery, 'page' | 'perPage'>): Filter<AuditEntry> {
  const filter: Filter<AuditEntry> = {};
  if (query.actor) filter['actor.email'] = query.actor;
  if (query.entityType) filter['entity.type'] = query.entityType;
  if (query.entityId) filter['entity.id'] = query.entityId;
  if (query.action) filter.action = query.action;
  if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
  return filter;
}

/**
 * Append-only on purpose: this repository offers insert and reads, nothing that updates or deletes.
 * The values are plain strings (no operators can come from a filter form: the routes validate them).
 */
export function createAuditRepository(db: Db) {
  const log = db.collection<AuditEntry>(AUDIT_COLLECTION);
  return {
    async insert(entry: Omit<AuditEntry, '_id'>): Promise<AuditEntry> {
      const doc: AuditEntry = { _id: new ObjectId(), ...entry };
      await log.insertOne(doc);
      return doc;
    },
    find(filter: Filter<AuditEntry>, skip: number, limit: number): Promise<AuditEntry[]> {
      return log.find(filter).sort({ at: -1, _id: -1 }).skip(skip).limit(limit).toArray();
    },
    count(filter: Filter<AuditEntry>): Promise<number> {
      return log.countDocuments(filter);
    },
    /** Distinct action codes, for the filter form's choices. */
    async actions(): Promise<string[]> {
      const values = await log.distinct('action');
      return values.filter((v): v is string => typeof v === 'string').sort();
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
