// Words for the backup item of the status strip, Admin → Backups and the
// restore screen. Pure functions, unit-tested; nothing here calls the
// backend.
import type { BackupCheck, BackupCounts, BackupStatus } from '../api/backupTypes';
import { formatDateTime } from '../lib/age';
import { plural, relativeTime } from '../sync/format';

/** "Last backup 3 h ago", "Backing up: copying the chart 40%", or "No backup yet". */
export function backupItemText(s: BackupStatus, now: Date = new Date()): string {
  if (s.running) return `Backing up: ${phaseWords(s.phase)} ${percent(s.fraction)}%`;
  const rel = s.status.lastGood ? relativeTime(s.status.lastGood.at, now) : '';
  return rel ? `Last backup ${rel}` : 'No backup yet';
}

/** What is wrong with this workstation's backups and what to do, or ''. */
export function backupWarning(s: BackupStatus, now: Date = new Date()): string {
  const st = s.status;
  if (s.running) return '';
  if (!st.settings.folder) return 'No backup folder is chosen: an administrator chooses one in Admin → Backups.';
  if (st.folderMissing) return `The backup drive is not plugged in (${st.settings.folder}). Plug it in: the next backup runs then.`;
  if (st.lastFailed) return `The last backup failed: ${st.lastFailed.error}`;
  if (!st.overdue) return '';
  if (!st.lastGood) return 'There is no backup of this chart yet: back up now in Admin → Backups.';
  const days = Math.floor((now.getTime() - new Date(st.lastGood.at).getTime()) / 86_400_000);
  return `No backup for ${plural(days, 'day')}: check the backup drive, or back up now in Admin → Backups.`;
}

const phases: Record<string, string> = {
  copying: 'copying the chart',
  checking: 'checking the copy',
  sealing: 'sealing',
  verifying: 'reading it back',
  extracting: 'reading the backup',
};

export function phaseWords(phase: string): string {
  return phases[phase] ?? 'working';
}

export function percent(f: number): number {
  return Math.round(Math.min(1, Math.max(0, f || 0)) * 100);
}

/** "1.4 MB", "730 KB". */
export function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

const countWords: [key: string, one: string][] = [
  ['patients', 'patient'],
  ['records', 'record'],
  ['signedNotes', 'signed note'],
  ['attachments', 'scanned report'],
  ['users', 'user'],
  ['auditEntries', 'audit entry'],
];

/** "12 patients, 340 records, 3 signed notes, …" in a fixed order; none of a kind is left out. */
export function countsText(c: BackupCounts | null): string {
  if (!c) return '';
  return countWords
    .filter(([k]) => typeof c[k] === 'number' && (c[k] > 0 || k === 'patients'))
    .map(([k, one]) => plural(c[k], one, one === 'audit entry' ? 'audit entries' : `${one}s`))
    .join(', ');
}

/** What a verification found, in a sentence. */
export function checkText(c: BackupCheck): string {
  if (!c.ok) return `Damaged: ${c.problem}`;
  const audit = `the audit log (${plural(c.auditEntries, 'entry', 'entries')}) is intact`;
  if (!c.sealsChecked) return `Verified (checksum, integrity, counts); ${audit}. Record seals are checked at the next sign-in.`;
  return `Verified: all ${plural(c.recordsOpened, 'record')} open with the practice key and ${audit}.`;
}

/** "23 Nov 2026, 18:00 (3 h ago)". */
export function whenText(iso: string, now: Date = new Date()): string {
  const rel = relativeTime(iso, now);
  return rel ? `${formatDateTime(iso)} (${rel})` : formatDateTime(iso);
}
