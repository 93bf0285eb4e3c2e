import { ValidationError, type FieldError } from '../../lib/errors.js';
import { changedFields } from '../audit/service.js';
import type { AuditService } from '../audit/service.js';
import type { ActorContext } from '../audit/types.js';
import type { AdminSettings, AdminSettingsRepository } from './settings-repository.js';
import { isTimeZone } from './timezone.js';

export interface SettingsInput {
  timeZone: string;
  enforceTwoFactor: boolean;
  lowStockThreshold: string;
}

export function createAdminSettingsService(deps: { repository: AdminSettingsRepository; audit: Pick<AuditService, 'record'>; clock: () => Date }) {
  return {
    get: (): Promise<AdminSettings> => deps.repository.get(),

    async save(actor: ActorContext, input: SettingsInput): Promise<void> {
      const errors: FieldError[] = [];
      const timeZone = input.timeZone.trim();
      if (!isTimeZone(timeZone)) errors.push({ field: 'timeZone', messageKey: 'admin.settings.invalidTimeZone' });
      const threshold = input.lowStockThreshold.trim();
      if (!/^\d{1,6}$/.test(threshold)) errors.push({ field: 'lowStockThreshold', messageKey: 'admin.settings.invalidThreshold' });
      if (errors.length > 0) throw new ValidationError(errors);
      const before = await deps.repository.get();
      const after: AdminSettings = { timeZone, enforceTwoFactor: input.enforceTwoFactor, lowStockThreshold: Number(threshold) };
      const diff = changedFields({ ...before }, { ...after });
      if (Object.keys(diff.after).length === 0) return;
      await deps.repository.save(after, deps.clock());
      await deps.audit.record({ actor, action: 'settings.update', entity: { type: 'settings', id: 'admin' }, before: diff.before, after: diff.after, ip: actor.ip });
    },
  };
}

export type AdminSettingsService = ReturnType<typeof createAdminSettingsService>;
