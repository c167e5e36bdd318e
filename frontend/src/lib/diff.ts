import type { Patient, PatientVersion } from '../api/types';
import { fieldValue, patientFieldLabels, patientFields } from './patientFields';

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

/** Field-by-field differences between two versions of a patient. */
export function diffPatients(older: Patient | null, newer: Patient): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of patientFields) {
    const from = older ? fieldValue(older, field) : '';
    const to = fieldValue(newer, field);
    if (from !== to) changes.push({ field, label: patientFieldLabels[field], from, to });
  }
  return changes;
}

export interface VersionChanges {
  version: PatientVersion;
  /** True for the first version: its "changes" are the registered values. */
  created: boolean;
  changes: FieldChange[];
}

/**
 * historyChanges pairs each version with the one before it. versions come
 * newest first (as History returns them); the result keeps that order.
 */
export function historyChanges(versions: PatientVersion[]): VersionChanges[] {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return sorted.map((v, i) => {
    const previous = sorted[i + 1] ?? null;
    return {
      version: v,
      created: previous === null,
      changes: diffPatients(previous ? previous.patient : null, v.patient),
    };
  });
}
