// Turning the vitals form's text inputs into a VitalsEntry. Values are sent
// in the unit they were typed in; the backend converts and checks them.
import type { PracticeUnits, VitalField, VitalsEntry } from '../api/chart';
import { displayUnit } from './units';

export const entryFields = [
  'systolic',
  'diastolic',
  'heartRate',
  'respiratoryRate',
  'temperature',
  'spo2',
  'weight',
  'height',
  'pain',
  'headCircumference',
] as const satisfies readonly VitalField[];

export type EntryField = (typeof entryFields)[number];

export interface Parsed {
  entry: VitalsEntry;
  /** Inputs that are not numbers, by field. */
  errors: Partial<Record<EntryField, string>>;
}

export function parseVitals(inputs: Partial<Record<EntryField, string>>, units: PracticeUnits): Parsed {
  const entry: VitalsEntry = {};
  const errors: Parsed['errors'] = {};
  for (const f of entryFields) {
    const raw = (inputs[f] ?? '').trim().replace(',', '.');
    if (raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) {
      errors[f] = 'Type a number.';
      continue;
    }
    entry[f] = { value: n, unit: displayUnit(f, units) };
  }
  return { entry, errors };
}
