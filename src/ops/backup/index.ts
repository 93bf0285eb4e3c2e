export { ArchiveError, EXTENSION, readArchive } from './archive-format.js';
export { backupDatabase, type BackupSummary } from './backup.js';
export { restoreDatabase, RestoreRefused, userCollections, verifyArchive, type RestoreSummary } from './restore.js';

/** `vitrine-backup-2026-05-01T10-20-30Z.vbak`: sortable, no characters that upset a shell. */
export function defaultBackupName(at: Date): string {
  return `vitrine-backup-${at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.vbak`;
}
