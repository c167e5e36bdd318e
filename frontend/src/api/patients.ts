import * as P from '../../wailsjs/go/app/Patients';
import type { chart } from '../../wailsjs/go/models';
import type { DateOrder } from '../lib/typedDate';
import { call } from './errors';
import type { DuplicateCandidate, Patient, PatientSummary, PatientVersion } from './types';

/**
 * The store sets id, version and the timestamps; Go cannot parse an empty
 * string as a time, so a new patient's empty timestamps are left out.
 */
export function toWire(p: Patient): chart.Patient {
  const wire: Partial<Patient> = { ...p };
  if (!wire.createdAt) delete wire.createdAt;
  if (!wire.updatedAt) delete wire.updatedAt;
  return wire as unknown as chart.Patient;
}

const asChart = toWire;

/** A page of search hits and how many patients matched in all. */
export interface PatientSearch {
  patients: PatientSummary[];
  total: number;
  /** The query held no letter or digit to search for. */
  unsearchable: boolean;
  /** Patient records on this workstation that could not be opened (in no list). */
  unreadable: number;
}

const page = (r: PatientSearch | null): PatientSearch => ({
  patients: r?.patients ?? [],
  total: r?.total ?? 0,
  unsearchable: !!r?.unsearchable,
  unreadable: r?.unreadable ?? 0,
});

export const find = (query: string) => call(() => P.Find(query) as Promise<unknown> as Promise<PatientSearch>).then(page);

/** find that, with inactive, also lists inactive, deceased and merged patients. */
export const findWith = (query: string, inactive: boolean) =>
  call(() => P.FindWith(query, inactive) as Promise<unknown> as Promise<PatientSearch>).then(page);

/** One side of a merge preview: the patient and how many records it holds. */
export interface MergeSide {
  patient: Patient;
  records: number;
  mergedFrom: PatientSummary[];
}

/** What an administrator confirms before merging two patients. */
export interface MergePreview {
  survivor: MergeSide;
  retired: MergeSide;
  /** Why they look like one person; '' when they do not. */
  reason: string;
  differences: string[];
}

export const previewMerge = (survivor: string, retired: string) =>
  call(() => P.PreviewMerge(survivor, retired) as Promise<unknown> as Promise<MergePreview>);

/** Retires `retired` into `survivor`: one chart with both patients' records. */
export const merge = (survivor: string, retired: string) =>
  call(() => P.Merge(survivor, retired) as Promise<unknown> as Promise<Patient>);

export const undoMerge = (retired: string) => call(() => P.UndoMerge(retired) as Promise<unknown> as Promise<Patient>);

/** How the practice writes numeric dates: the form reads a typed date of birth in it. */
export const dateOrder = () => call(() => P.DateOrder()).then((o): DateOrder => (o === 'mdy' || o === 'dmy' ? o : ''));

export const search = (query: string) =>
  call(() => P.Search(query) as Promise<unknown> as Promise<PatientSummary[] | null>).then((r) => r ?? []);

export const register = (p: Patient) => call(() => P.Register(asChart(p)) as Promise<unknown> as Promise<Patient>);

export const update = (p: Patient) => call(() => P.Update(asChart(p)) as Promise<unknown> as Promise<Patient>);

export const open = (id: string) => call(() => P.Open(id) as Promise<unknown> as Promise<Patient>);

export const history = (id: string) =>
  call(() => P.History(id) as Promise<unknown> as Promise<PatientVersion[] | null>).then((r) => r ?? []);

export const duplicates = (p: Patient) =>
  call(() => P.Duplicates(asChart(p)) as Promise<unknown> as Promise<DuplicateCandidate[] | null>).then(
    (r) => r ?? [],
  );

export const suggestMRN = () => call(() => P.SuggestMRN());
