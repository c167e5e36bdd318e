// Import, export, the match queue and the lab inbox: typed wrappers over
// the generated bindings of app.Interop and the import:status event.
import * as I from '../../wailsjs/go/app/Interop';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './errors';
import type { HeldImport, ImportOutcome, ImportStatus, LabInboxStatus } from './interopTypes';

// A dialog waits on a person; an import of a practice's records is started
// here but runs in the background (the call returns at once).
const longCallMs = 30 * 60_000;

const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export const importStatus = () => call(() => as<ImportStatus>(I.ImportStatus()));
export const startImport = (paths: string[]) => call(() => as<ImportStatus>(I.StartImport(paths)));
export const cancelImport = () => call(() => as<ImportStatus>(I.CancelImport()));
export const saveImportReport = () => call(() => I.SaveImportReport(), longCallMs);
export const chooseImportFile = () => call(() => I.ChooseImportFile(), longCallMs);
export const chooseFolder = (title: string) => call(() => I.ChooseFolder(title), longCallMs);

export const heldImports = () => call(() => as<HeldImport[] | null>(I.HeldImports())).then((r) => r ?? []);
export const mergeHeldImport = (id: string, patientId: string) =>
  call(() => as<ImportOutcome>(I.MergeHeldImport(id, patientId)));
export const newPatientFromHeldImport = (id: string) => call(() => as<ImportOutcome>(I.NewPatientFromHeldImport(id)));
export const dismissHeldImport = (id: string, reason: string) => call(() => I.DismissHeldImport(id, reason));

export const labInbox = () => call(() => as<LabInboxStatus>(I.LabInbox()));
export const setLabInbox = (folder: string) => call(() => as<LabInboxStatus>(I.SetLabInbox(folder.trim())));

/** Calls fn with every import status the backend announces; returns the unsubscribe. */
export function onImportStatus(fn: (s: ImportStatus) => void): () => void {
  return EventsOn('import:status', (data: unknown) => {
    if (typeof data === 'object' && data !== null && 'progress' in data) fn(data as ImportStatus);
  });
}

export interface ExportDone {
  folder: string;
  patients: number;
  format: string;
}
export const exportPatient = (patientId: string, folder: string, purpose: string) =>
  call(() => I.ExportPatient(patientId, folder.trim(), purpose) as Promise<ExportDone>, longCallMs);
export const exportPractice = (folder: string, purpose: string) =>
  call(() => I.ExportPractice(folder.trim(), purpose) as Promise<ExportDone>, longCallMs);
