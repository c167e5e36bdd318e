// Plain data shapes of the bound Go struct `Interop` (app/interop*.go) and
// of chart/import.go. They mirror the Go JSON tags.

export interface TypeCounts {
  read: number;
  imported: number;
  /** Already in the chart: a matched patient, or a record from an earlier import. */
  merged: number;
  skipped: number;
  failed: number;
  skipReasons?: Record<string, number> | null;
  errors?: string[] | null;
}

export interface FileReport {
  path: string;
  format: string;
  error?: string;
  types: Record<string, TypeCounts> | null;
  unresolved?: string[] | null;
  warnings?: string[] | null;
}

export interface ImportReport {
  id: string;
  startedAt: string;
  finishedAt: string;
  by: string;
  cancelled?: boolean;
  files: FileReport[] | null;
  patients: { created: number; matched: number; held: number; failed: number };
  totals: Record<string, TypeCounts> | null;
  entries: number;
  seconds: number;
  peakHeapBytes?: number;
}

export interface ImportProgress {
  file: string;
  filesDone: number;
  files: number;
  entries: number;
  patients: number;
  bytesDone: number;
  bytes: number;
}

export interface ImportStatus {
  running: boolean;
  progress: ImportProgress;
  report?: ImportReport | null;
  error?: string;
}

export interface PatientSummaryLite {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

export interface HeldImport {
  id: string;
  importId: string;
  file: string;
  heldAt: string;
  incoming: PatientSummaryLite;
  candidates: PatientSummaryLite[] | null;
  reason: string;
  counts: Record<string, number> | null;
  labResults?: boolean;
}

export interface ImportOutcome {
  patientId: string;
  created: boolean;
  match?: string;
  held?: boolean;
  imported: Record<string, number> | null;
  alreadyPresent: Record<string, number> | null;
}

export interface LabInboxStatus {
  folder: string;
  lastLook: string;
  picked: number;
  failed: number;
  lastError?: string;
}
