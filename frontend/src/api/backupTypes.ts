// Plain data shapes of the bound Go struct `Backups` (app/backup.go) and of
// chart/backup.go. They mirror the Go JSON tags. Counts and times only: a
// backup's description never holds health data.

export interface BackupSettings {
  /** Full path of the backup folder; '' until one is chosen. */
  folder: string;
  /** "HH:MM" local time of the daily backup; '' for none. */
  dailyAt: string;
  onQuit: boolean;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  /** Warn once the last good backup is older than this many days. */
  warnDays: number;
}

/** patients, records, signedNotes, attachments, changes, auditEntries, users. */
export type BackupCounts = Record<string, number>;

export interface BackupInfo {
  path: string;
  fileName: string;
  size: number;
  practiceId: string;
  practiceName: string;
  workstationId: string;
  workstationName: string;
  createdAt: string;
  counts: BackupCounts | null;
  /** Why the file cannot be used; '' when it reads. */
  problem: string;
}

export interface BackupCheck {
  ok: boolean;
  problem: string;
  counts: BackupCounts | null;
  /** Every record was opened with the practice key. */
  sealsChecked: boolean;
  recordsOpened: number;
  auditEntries: number;
}

export interface BackupRun {
  at: string;
  path: string;
  size: number;
  counts: BackupCounts | null;
  seconds: number;
  check: BackupCheck;
  error: string;
  unattended: boolean;
}

export interface BackupState {
  settings: BackupSettings;
  lastGood: BackupRun | null;
  lastFailed: BackupRun | null;
  folderMissing: boolean;
  overdue: boolean;
}

/** Backups.Status() and the backup:status event. */
export interface BackupStatus {
  status: BackupState;
  running: boolean;
  /** copying, checking, sealing, verifying, extracting. */
  phase: string;
  /** 0..1 of the phase. */
  fraction: number;
  available: boolean;
}

export interface RestorePreview {
  backup: BackupInfo;
  check: BackupCheck;
  unlocked: boolean;
  /** The practice this workstation holds now ('' for none): restoring replaces it. */
  replaces: string;
  otherWorkstation: boolean;
}

export interface RestoreResult {
  /** Where the replaced chart was kept; '' when there was none. */
  aside: string;
  /** It will pull back from the practice server what it wrote after the backup. */
  catchUp: boolean;
}
