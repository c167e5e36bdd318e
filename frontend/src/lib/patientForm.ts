// The patient form's fields in the order they appear on screen (the order of
// components/PatientEditor.svelte), so its errors are listed and focused as
// the eye meets them; and what the form says about a typed date of birth.
import { adultAge } from '../api/types';
import { ageYears } from './age';
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
  'email',
  'preferredLanguage',
  'emergencyContact.name',
  'emergencyContact.relationship',
  'emergencyContact.phone',
  'guardian.name',
  'guardian.relationship',
  'guardian.phone',
  'insurance.payer',
  'insurance.memberId',
  'insurance.group',
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.country',
  'address.directions',
  'inactive',
  'deceased',
  'deceasedDate',
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

/**
 * Whether the form should ask for a guardian: a living patient under 18 on
 * `now` (the date of birth as typed, read in the practice order) with no
 * guardian recorded. A prompt, never a refusal.
 */
export function asksForGuardian(
  p: { birthDate: string; deceased?: boolean; guardian?: { name: string; relationship: string; phone: string } },
  order: DateOrder,
  now: Date = new Date(),
): boolean {
  const age = ageYears(birthDateToSend(p.birthDate, order), now);
  const g = p.guardian;
  const none = !g || (!g.name.trim() && !g.relationship.trim() && !g.phone.trim());
  return age >= 0 && age < adultAge && !p.deceased && none;
}
