// The patient form's fields in the order they appear on screen (the order of
// components/PatientEditor.svelte), so its errors are listed and focused as
// the eye meets them; and what the form says about a typed date of birth.
import { parseTypedDate, type DateOrder } from './typedDate';

export const patientFormOrder = [
  'familyName',
  'givenName',
  'preferredName',
  'mrn',
  'birthDate',
  'sex',
  'genderIdentity',
  'phone',
  'preferredLanguage',
  'emergencyContact.name',
  'emergencyContact.relationship',
  'emergencyContact.phone',
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.country',
  'address.directions',
] as const;

/** The hint under the date of birth: what was understood, or how to type it. */
export function birthDateHint(typed: string, order: DateOrder): string {
  const example = order === 'mdy' ? '03/12/1980' : '12/03/1980';
  if (typed.trim() === '') return `e.g. 12 Mar 1980, ${example} or 1980-03-12`;
  const got = parseTypedDate(typed, order);
  return 'iso' in got ? `Understood as ${got.long}` : got.error;
}

/** The date of birth to send: YYYY-MM-DD when it reads as a date, else as typed (the backend explains). */
export function birthDateToSend(typed: string, order: DateOrder): string {
  const got = parseTypedDate(typed, order);
  return 'iso' in got ? got.iso : typed;
}
