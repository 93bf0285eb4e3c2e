import type { AuditRepository } from './repository.js';
import { auditFilter } from './repository.js';
import type { AuditEntry, AuditPage, AuditQuery, RecordInput } from './types.js';

export interface AuditServiceDeps {
  repository: AuditRepository;
  clock: () => Date;
}

/**
 * The back office's memory: every change records who, when, what, before/after and the IP.
 * Services call `audit.record(...)` right after the change succeeded.
 */
export function createAuditService({ repository, clock }: AuditServiceDeps) {
  return {
    record(input: RecordInput): Promise<AuditEntry> {
      return repository.insert({
        at: clock(),
        actor: { id: input.actor.id, email: input.actor.email.toLowerCase() },
        action: input.action,
        entity: input.entity,
        before: input.before ?? null,
        after: input.after ?? null,
        ip: input.ip,
      });
    },

    async list(query: AuditQuery): Promise<AuditPage> {
      const filter = auditFilter(query);
      const total = await repository.count(filter);
      const pages = Math.max(1, Math.ceil(total / query.perPage));
      const page = Math.min(Math.max(1, query.page), pages);
      const entries = await repository.find(filter, (page - 1) * query.perPage, query.perPage);
      return { entries, total, page, pages };
    },

    actions: () => repository.actions(),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Only the fields that differ, for a compact before/after. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
