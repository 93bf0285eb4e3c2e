import { ValidationError, type FieldError } from '../../lib/errors.js';
import { changedFields } from '../audit/service.js';
import type { AuditService } from '../audit/service.js';
import type { ActorContext } from '../audit/types.js';
import type { VersionedCache } from '../catalog/cache.js';
import type { AdminSettings, AdminSettingsRepository } from './settings-repository.js';
import { isTimeZone } from './timezone.js';

export interface SettingsInput {
  timeZone: string;
  enforceTwoFactor: boolean;
  lowStockThreshold: string;
}

export interface AdminSettingsDeps {
  repository: AdminSettingsRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  /**
   * Every back-office request reads these settings (2FA enforcement in the admin guard, the time
   * zone of dates): kept in-process under their own version stamp (src/modules/catalog/cache.ts),
   * which `save` bumps, so another process sees a change within the cache's check interval.
   * Without it every call reads the database.
   */
  cache?: VersionedCache;
}

const SETTINGS_KEY = 'adminSettings';

export function createAdminSettingsService(deps: AdminSettingsDeps) {
  const { cache } = deps;
  return {
    /** Shared by every caller while cached: treat as read-only. */
    get: (): Promise<AdminSettings> => (cache ? cache.get(SETTINGS_KEY, async (): Promise<AdminSettings> => Object.freeze(await deps.repository.get())) : deps.repository.get()),

    async save(actor: ActorContext, input: SettingsInput): Promise<void> {
      const errors: FieldError[] = [];
      const timeZone = input.timeZone.trim();
      if (!isTimeZone(timeZone)) errors.push({ field: 'timeZone', messageKey: 'admin.settings.invalidTimeZone' });
      const threshold = input.lowStockThreshold.trim();
      if (!/^\d{1,6}$/.test(threshold)) errors.push({ field: 'lowStockThreshold', messageKey: 'admin.settings.invalidThreshold' });
      if (errors.length > 0) throw new ValidationError(errors);
      // Compared with the stored values, not a cached copy that another process may have outdated.
      const before = await deps.repository.get();
      const after: AdminSettings = { timeZone, enforceTwoFactor: input.enforceTwoFactor, lowStockThreshold: Number(threshold) };
      const diff = changedFields({ ...before }, { ...after });
      if (Object.keys(diff.after).length === 0) return;
      await deps.repository.save(after, deps.clock());
      await cache?.invalidate();
      await deps.audit.record({ actor, action: 'settings.update', entity: { type: 'settings', id: 'admin' }, before: diff.before, after: diff.after, ip: actor.ip });
    },
  };
}

export type AdminSettingsService = ReturnType<typeof createAdminSettingsService>;
