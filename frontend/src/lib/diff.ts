import type { Patient, PatientVersion } from '../api/types';
import { humanize } from '../sync/format';
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
 * historyChanges pairs each version with the one it was edited from: the
 * newest version with a lower number. Versions edited at the same time on
 * two workstations share a number and were both edited from the one
 * before, so neither is shown as a change of the other. versions come
 * newest first (as History returns them); the result keeps that order.
 */
export function historyChanges(versions: PatientVersion[]): VersionChanges[] {
  const at = (v: PatientVersion) => Date.parse(v.changedAt) || 0;
  const sorted = [...versions].sort((a, b) => b.version - a.version || at(b) - at(a));
  return sorted.map((v) => {
    const previous = sorted.find((o) => o.version < v.version) ?? null;
    return {
      version: v,
      created: previous === null,
      changes: diffPatients(previous ? previous.patient : null, v.patient),
    };
  });
}

// ---- Clinical record history: every field as text a person reads ----


/** Code systems by the short name clinicians know. */
const systemNames: Record<string, string> = {
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://loinc.org': 'LOINC',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A coded value ({system, code, display}) and nothing else. */
function isCoded(v: unknown): v is { system?: string; code?: string; display: string } {
  return isObject(v) && typeof v.display === 'string' && Object.keys(v).every((k) => ['system', 'code', 'display'].includes(k));
}

/** A note section ({key, label, text}). */
function isSection(v: unknown): v is { label: string; text: string } {
  return isObject(v) && typeof v.label === 'string' && typeof v.text === 'string' && 'key' in v;
}

/**
 * Any stored value as text: coded values as "display (SYSTEM code)", lists
 * one item a line, note sections as "Label: text", nested objects as
 * "Field: value" pairs. Empty values give ''.
 */
export function readable(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.map(readable).filter((s) => s !== '').join('\n');
  if (isCoded(v)) {
    const code = [systemNames[v.system ?? ''] ?? v.system, v.code].filter(Boolean).join(' ');
    return v.code ? `${v.display} (${code})`.trim() : v.display;
  }
  if (isSection(v)) return v.text.trim() ? `${v.label}: ${v.text}` : '';
  if (isObject(v)) {
    return Object.entries(v)
      .map(([k, x]) => [humanize(k), readable(x)])
      .filter(([, x]) => x !== '')
      .map(([k, x]) => `${k}: ${x}`)
      .join(', ');
  }
  return String(v);
}

/** Bookkeeping every version repeats; the heading of a version shows who and when. */
const bookkeeping = new Set(['id', 'patientId', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy']);

/** One labelled, readable line per field of a record version's JSON content. */
export function recordFields(content: string): [string, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [['Content', content]];
  }
  if (!isObject(parsed)) return [['Content', readable(parsed)]];
  return Object.entries(parsed)
    .filter(([k]) => !bookkeeping.has(k))
    .map(([k, v]): [string, string] => [humanize(k), readable(v)])
    .filter(([, v]) => v !== '');
}
