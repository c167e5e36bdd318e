// The workstation's sync with the practice server: typed wrappers over the
// generated bindings of app.Sync and the sync:status event.
import * as A from '../../wailsjs/go/app/Admin';
import * as Y from '../../wailsjs/go/app/Sync';
import type { app } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './errors';
import type { Practice } from './types';
import type {
  ConflictMark,
  ConflictValue,
  HeldChange,
  HeldRetry,
  RecordConflict,
  Resolution,
  SyncDayReport,
  SyncScope,
  SyncStatus,
} from './syncTypes';

// A sync or a first join moves a whole practice over a slow link; the
// default 60 s call limit would give up on a sync that is doing fine.
const longCallMs = 15 * 60_000;

const asStatus = (p: Promise<unknown>) => p as Promise<SyncStatus>;

export const status = () => call(() => asStatus(Y.Status()));

export const syncNow = () => call(() => asStatus(Y.SyncNow()), longCallMs);

export const connect = (code: string, deviceName: string) =>
  call(() => asStatus(Y.Connect(code.trim(), deviceName.trim())), longCallMs);

export const joinPractice = (code: string, deviceName: string) =>
  call(() => asStatus(Y.JoinPractice(code.trim(), deviceName.trim())), longCallMs);

/** day is YYYY-MM-DD, or '' for today. */
export const dayReport = (day: string) => call(() => Y.DayReport(day) as Promise<unknown> as Promise<SyncDayReport>);

/**
 * The backend sends each conflict value as the field's own JSON value
 * (null when the edit cleared the field). Never re-parse a string: a phone
 * number "5550101" must stay text.
 */
function cleanValue(c: ConflictValue): ConflictValue {
  return { ...c, value: c.value ?? null };
}

/** A conflict as the backend sends it, with others always a list. */
export function fromWireConflict(c: RecordConflict): RecordConflict {
  return { ...c, shown: cleanValue(c.shown), others: (c.others ?? []).map(cleanValue) };
}

/** A resolution as the backend takes it: only a merged choice carries a value. */
export function toWireResolution(r: Resolution): Resolution {
  const { value, confirmEmpty, ...rest } = r;
  return r.choice === 'merged' ? { ...rest, value: value ?? '', ...(confirmEmpty ? { confirmEmpty } : {}) } : rest;
}

export const conflicts = () =>
  call(() => Y.Conflicts() as Promise<unknown> as Promise<RecordConflict[] | null>).then((r) =>
    (r ?? []).map(fromWireConflict),
  );

/** The records of one patient with open conflicts the signed-in user may review. */
export const patientConflicts = (patientId: string) =>
  call(() => Y.PatientConflicts(patientId) as Promise<unknown> as Promise<ConflictMark[] | null>).then((r) =>
    (r ?? []).map((m) => ({ ...m, fields: m.fields ?? [] })),
  );

export const resolveConflict = (r: Resolution) =>
  call(() => Y.ResolveConflict(toWireResolution(r) as unknown as app.ResolutionDTO) as Promise<unknown> as Promise<void>);

const asScope = (p: Promise<unknown>) =>
  (p as Promise<SyncScope>).then((s) => ({ all: !!s?.all, patients: s?.patients ?? [], byDate: s?.byDate ?? null }));

export const scope = () => call(() => asScope(Y.Scope()));

export const setScope = (all: boolean, patientIds: string[]) => call(() => asScope(Y.SetScope(all, patientIds)));

/** Calls fn with every status the backend announces; returns the unsubscribe. */
export function onStatus(fn: (s: SyncStatus) => void): () => void {
  return EventsOn('sync:status', (data: unknown) => {
    if (typeof data === 'object' && data !== null && 'state' in data) fn(data as SyncStatus);
  });
}

/** Admin.SetSyncWarnDays: warn workstations that have not synced for this many days. */
export const setWarnDays = (days: number) =>
  call(() => A.SetSyncWarnDays(days) as Promise<unknown> as Promise<Practice>);

/** Changes held back from sync (administrators); dismissed ones too when asked. */
export const heldChanges = (includeDismissed: boolean) =>
  call(() => Y.HeldChanges(includeDismissed) as Promise<unknown> as Promise<HeldChange[] | null>).then((r) => r ?? []);

export const retryHeld = (ids: number[]) => call(() => Y.RetryHeld(ids) as Promise<unknown> as Promise<HeldRetry>);

export const dismissHeld = (id: number, reason: string) => call(() => Y.DismissHeld(id, reason.trim()));
