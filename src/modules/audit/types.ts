import type { ObjectId } from 'mongodb';

/** Who did something in the back office (a signed-in staff member, or the system). */
export interface AuditActor {
  id: string;
  email: string;
}

/** One recorded change. Entries are only ever inserted: there is no update or delete. */
export interface AuditEntry {
  _id: ObjectId;
  at: Date;
  actor: AuditActor;
  /** Stable dotted code, e.g. "customer.disable", "user.role", "settings.update". */
  action: string;
  entity: { type: string; id: string };
  /** The changed fields before and after (null for a creation or a deletion). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string;
}

export interface RecordInput {
  actor: AuditActor;
  action: string;
  entity: { type: string; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip: string;
}

export interface AuditQuery {
  /** Actor email (exact, case-insensitive as stored lower-case). */
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  /** Inclusive lower bound and exclusive upper bound on `at`. */
  from?: Date;
  to?: Date;
  page: number;
  perPage: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pages: number;
}

/** The actor of a back-office action plus where the request came from (routes build it from the request). */
export interface ActorContext extends AuditActor {
  ip: string;
}
