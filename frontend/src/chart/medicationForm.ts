// The medication form's rules that are not layout: reading Refills, what a
// role may choose as the source, and the fields in screen order.

/** The form's fields in the order they appear on screen. */
export const medicationFormOrder = [
  'drug',
  'dose',
  'unit',
  'route',
  'frequency',
  'quantity',
  'refills',
  'daysSupply',
  'startDate',
  'source',
  'encounterId',
  'instructions',
] as const;

/**
 * refillsFrom reads the Refills input. A number input bound with Svelte hands
 * back a number (or null when empty), not a string; treating it as a string
 * threw inside the submit handler and "Check and save" silently did nothing.
 */
export function refillsFrom(raw: unknown): { value: number } | { error: string } {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  if (text === '') return { value: 0 };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) return { error: 'Refills is a whole number, e.g. 0 or 2.' };
  return { value: n };
}

export type MedicationSource = 'prescribed' | 'reported';

/** Prescribing is for clinicians (the backend enforces it); others record what the patient reports. */
export function sourceOptions(role: string): { value: MedicationSource; label: string }[] {
  const reported = { value: 'reported' as const, label: 'Reported by patient' };
  return role === 'clinician' ? [{ value: 'prescribed', label: 'Prescribed here' }, reported] : [reported];
}

export const defaultSource = (role: string): MedicationSource => (role === 'clinician' ? 'prescribed' : 'reported');
