import * as P from '../../wailsjs/go/app/Patients';
import type { chart } from '../../wailsjs/go/models';
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
