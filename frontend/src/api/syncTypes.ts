// Plain data shapes of the bound Go struct `Sync` (app/sync.go) and of the
// sync-facing chart types (chart/sync.go). They mirror the Go JSON tags.

export type SyncState = 'not_configured' | 'locked' | 'idle' | 'syncing' | 'offline' | 'error';
export type SyncPhase = 'sending' | 'receiving' | 'merging' | '';

/** The workstation's sync status, as Sync.Status() and the sync:status event carry it. */
export interface SyncStatus {
  configured: boolean;
  serverAddr: string;
  state: SyncState;
  online: boolean;
  running: boolean;
  /** 0..1 while a sync runs. */
  progress: number;
  phase: SyncPhase;
  /** Local changes the server has not acknowledged yet. */
  pending: number;
  /** RFC 3339, or '' when this workstation never synced. */
  lastSync: string;
  lastError: string;
  /** News that is not an error (the practice server was restored from a backup); '' or absent: none. */
  notice?: string;
  /** Conflicts the signed-in role may review (0 while locked). */
  openConflicts: number;
  /** Changes held back from sync (counted for administrators only). */
  held: number;
  /** A workstation was revoked since the practice key last changed. */
  keyChangeDue: boolean;
  /** Whole days since the last successful sync; -1 when never. */
  daysSinceSync: number;
  warnDays: number;
  overdue: boolean;
}

/** One day's sync activity on this workstation (the end-of-day report). */
export interface SyncDayReport {
  day: string;
  syncs: number;
  failures: number;
  sent: number;
  received: number;
  conflicts: number;
  openConflicts: number;
  pending: number;
  lastSync: string;
}

/** One of the values a field was given concurrently. */
export interface ConflictValue {
  /** The field's JSON value: a string, an object of strings, a list of note sections…; null when cleared. */
  value: unknown;
  deviceId: string;
  /** The workstation's name as it enrolled ("Front desk"); "…" and the end of its id until that name syncs. */
  deviceName: string;
  userId: string;
  userName: string;
  at: string;
}

export interface RecordConflict {
  recordId: string;
  kind: string;
  patientId: string;
  patientName: string;
  /** Which record, in words: "Allergy: Penicillin", "Demographics". */
  recordLabel: string;
  field: string;
  shown: ConflictValue;
  others: ConflictValue[];
  /** Shown is a signed note's content; the others can only become an addendum. */
  againstSigned: boolean;
}

/** A record of a patient's chart with open conflicts (the chart's marker). */
export interface ConflictMark {
  recordId: string;
  kind: string;
  /** The fields in conflict. */
  fields: string[];
}

export type ResolveChoice = 'shown' | 'other' | 'merged' | 'addendum';

export interface Resolution {
  recordId: string;
  kind: string;
  field: string;
  choice: ResolveChoice;
  otherIndex: number;
  /** Only for 'merged': the new value, as plain JSON. */
  value?: unknown;
  /** Only for 'merged': the reviewer confirmed an empty value clears the field. */
  confirmEmpty?: boolean;
}

export interface ScopePatient {
  id: string;
  name: string;
  mrn: string;
  pendingChanges: number;
  /** Taken off the route; removed once its pending changes are sent. */
  leaving: boolean;
  /** Just added; its history is still being fetched from the server. */
  backfilling?: boolean;
}

/** Which patients this workstation holds (partial replication). */
export interface SyncScope {
  all: boolean;
  patients: ScopePatient[];
  /** Set when the set follows a nurse's home visits of the coming days. */
  byDate?: { nurse: string; nurseName: string; days: number } | null;
}

/** A change pulled from the practice server that this workstation held back. */
export interface HeldChange {
  id: number;
  changeId: string;
  kind: string;
  recordId: string;
  patientId: string;
  patientName: string;
  deviceId: string;
  deviceName: string;
  userId: string;
  userName: string;
  writtenAt: string;
  /** malformed, clock, unknown_kind, unverified, unopened, merge */
  reason: string;
  /** "A change sent by workstation … could not be …: …" */
  message: string;
  receivedAt: string;
  tries: number;
  lastTried: string;
  dismissedAt?: string;
  dismissedBy?: string;
  dismissedReason?: string;
}

export interface HeldRetry {
  released: number;
  stillHeld: number;
}
