// Words for the sync status strip, the report and the Conflicts screen.
// Pure functions, unit-tested; nothing here calls the backend.
import type { ConflictValue, SyncPhase, SyncStatus } from '../api/syncTypes';
import { formatDateTime } from '../lib/age';
import { patientFieldLabels } from '../lib/patientFields';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago"; "" for an unreadable time. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso).getTime();
  if (!iso || Number.isNaN(t)) return '';
  const ago = now.getTime() - t;
  // A workstation clock slightly behind the server's: still "just now".
  if (ago < minute) return 'just now';
  if (ago < hour) return `${Math.floor(ago / minute)} min ago`;
  if (ago < day) return `${Math.floor(ago / hour)} h ago`;
  const days = Math.floor(ago / day);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** "Last synced 3 h ago" or "Never synced". */
export function lastSyncedText(lastSync: string, now: Date = new Date()): string {
  const rel = relativeTime(lastSync, now);
  return rel ? `Last synced ${rel}` : 'Never synced';
}

export function pendingText(n: number): string {
  if (!n || n < 0) return 'No changes waiting';
  return n === 1 ? '1 change waiting' : `${n} changes waiting`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type Tone = 'ok' | 'busy' | 'off' | 'bad' | 'quiet';

const syncingWords: Record<SyncPhase, string> = {
  receiving: 'Syncing: receiving changes',
  sending: 'Syncing: sending changes',
  // After a join: the charts' records merge behind while the chart is in use.
  merging: 'Syncing: opening the charts received',
  '': 'Syncing',
};

/** The status in words (never colour alone) and the tone of its dot. */
export function stateWords(s: SyncStatus): { label: string; tone: Tone } {
  switch (s.state) {
    case 'not_configured':
      return { label: 'Not connected to a practice server', tone: 'quiet' };
    case 'locked':
      return { label: 'Sync paused while Outpost is locked', tone: 'quiet' };
    case 'syncing':
      return { label: syncingWords[s.phase] ?? 'Syncing', tone: 'busy' };
    case 'offline':
      return { label: 'Offline', tone: 'off' };
    case 'error':
      return { label: 'Sync failed', tone: 'bad' };
    default:
      return s.online ? { label: 'Online', tone: 'ok' } : { label: 'Offline', tone: 'off' };
  }
}

/** What the person can do about the current state, or ''. */
export function whatToDo(s: SyncStatus): string {
  if (s.state === 'offline') {
    return 'You can keep working: changes are kept on this workstation and sent when the practice server can be reached.';
  }
  if (s.state === 'error') {
    return 'Your work is safe on this workstation. Try Sync now; if it keeps failing, check the network and tell your administrator.';
  }
  return '';
}

/** Progress as a whole percentage 0..100. */
export function progressPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.round(Math.min(1, Math.max(0, p)) * 100);
}

/** The overdue banner's text, or '' when the workstation is not overdue. */
export function overdueText(s: SyncStatus): string {
  if (!s.overdue) return '';
  const since =
    s.daysSinceSync < 0 ? 'has never synced' : `has not synced for ${plural(s.daysSinceSync, 'day')}`;
  return (
    `This workstation ${since} with the practice server (the practice asks for at least every ` +
    `${plural(s.warnDays, 'day')}). Connect it to the clinic network and choose Sync now.`
  );
}

/** Today (or d) as YYYY-MM-DD in local time. */
export function localDay(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const kindLabels: Record<string, string> = {
  patient: 'Demographics',
  note: 'Note',
  encounter: 'Encounter',
  problem: 'Problem',
  medication: 'Medication',
  allergy: 'Allergy',
  vitals: 'Vitals',
  result: 'Result',
  immunization: 'Immunization',
  attachment: 'Attachment',
  'chart-flags': 'Chart flags',
  template: 'Note template',
  user: 'User account',
  practice: 'Practice settings',
  device: 'Workstation name',
  audit: 'Audit entry',
  attachment_data: 'Attached file',
  conflict_ack: 'Conflict dismissal',
};

export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? humanize(kind);
}

const fieldLabels: Record<string, Record<string, string>> = {
  patient: {
    ...patientFieldLabels,
    address: 'Address',
    emergencyContact: 'Emergency contact',
    guardian: 'Guardian',
    insurance: 'Insurance',
    merged: 'Merged into another chart',
  },
  note: { sections: 'Note text', title: 'Title' },
};

/** "phone" -> "Phone"; for patients the labels of the patient form. */
export function fieldLabel(kind: string, field: string): string {
  return fieldLabels[kind]?.[field] ?? humanize(field);
}

/** "emergencyContact" / "postal_code" -> "Emergency contact" / "Postal code". */
export function humanize(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

/** A note section as the chart stores it. */
export interface Section {
  key: string;
  label: string;
  text: string;
}

export function isSectionList(v: unknown): v is Section[] {
  return (
    Array.isArray(v) &&
    v.every((s) => typeof s === 'object' && s !== null && typeof (s as Section).text === 'string')
  );
}

export function isStringObject(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

/**
 * A conflict value as lines a person reads: strings as they are, objects of
 * strings as "Label: value" lines, note sections as "Label: text"; other
 * JSON compactly. An empty or cleared value says so.
 */
export function renderValue(v: unknown): string[] {
  if (v === null || v === undefined || v === '') return ['(empty)'];
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (isSectionList(v)) {
    const lines = v.filter((s) => s.text.trim() !== '').map((s) => `${s.label || humanize(s.key)}: ${s.text}`);
    return lines.length ? lines : ['(empty)'];
  }
  if (isStringObject(v)) {
    const lines = Object.entries(v)
      .filter(([, x]) => x.trim() !== '')
      .map(([k, x]) => `${humanize(k)}: ${x}`);
    return lines.length ? lines : ['(empty)'];
  }
  return [JSON.stringify(v)];
}

/** "Dr Lee on workstation Front desk, 12 Mar 2026 14:05". */
export function whoWhen(c: ConflictValue): string {
  const who = c.userName || 'Unknown user';
  // The name the workstation enrolled under; until it has synced here, the
  // random end of its id (UUIDv7s start with a timestamp, alike across
  // workstations enrolled the same day).
  const name = c.deviceName || (c.deviceId ? `…${c.deviceId.replace(/-/g, '').slice(-6)}` : '');
  const where = name ? ` on workstation ${name}` : '';
  const when = c.at ? `, ${formatDateTime(c.at)}` : '';
  return `${who}${where}${when}`;
}

/** What a conflict card is about: "Allergy: Penicillin — reaction", "Demographics — phone". */
export function conflictTitle(c: { kind: string; field: string; recordLabel?: string }): string {
  const record = c.recordLabel || kindLabel(c.kind);
  return `${record} — ${fieldLabel(c.kind, c.field).toLowerCase()}`;
}

/** The conflicts the Conflicts screen shows when it was opened from a chart's marker. */
export function filterConflicts<T extends { patientId: string; recordId: string }>(
  list: T[],
  f: { patientId?: string; recordId?: string },
): T[] {
  return list.filter((c) => (!f.patientId || c.patientId === f.patientId) && (!f.recordId || c.recordId === f.recordId));
}

export interface PatientGroup<T> {
  patientId: string;
  patientName: string;
  items: T[];
}

/** Conflicts grouped by patient, in first-seen order; practice-wide ones (no patient) last. */
export function groupByPatient<T extends { patientId: string; patientName: string }>(items: T[]): PatientGroup<T>[] {
  const groups = new Map<string, PatientGroup<T>>();
  for (const it of items) {
    const key = it.patientId || '';
    let g = groups.get(key);
    if (!g) {
      g = { patientId: key, patientName: it.patientName || (key ? 'Unnamed patient' : 'Practice settings'), items: [] };
      groups.set(key, g);
    }
    g.items.push(it);
  }
  const list = [...groups.values()];
  return [...list.filter((g) => g.patientId), ...list.filter((g) => !g.patientId)];
}
