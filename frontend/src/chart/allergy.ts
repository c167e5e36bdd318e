// How the allergy state of a chart reads. "None known" (someone asked) and
// "not yet asked" must never look alike: only the first is safe to prescribe on.
import type { Allergy, AllergyStatus, Coded } from '../api/chart';
import { systemName } from '../api/codes';

export function allergyStatusLabel(status: AllergyStatus, count: number): string {
  switch (status) {
    case 'none-known':
      return 'No known allergies';
    case 'listed':
      return count === 1 ? '1 allergy' : `${count} allergies`;
    case 'unreadable':
      return 'Allergies unknown: a record could not be opened';
    default:
      return 'Allergies not yet asked';
  }
}

/**
 * The effective status: listed allergies win over a stale NKA flag; an
 * allergy that could not be opened means the answer is unknown, never
 * "none known".
 */
export function effectiveAllergyStatus(status: AllergyStatus, allergies: readonly Allergy[]): AllergyStatus {
  const live = allergies.filter((a) => !a.enteredInError);
  if (live.some((a) => !a.damaged && a.verification !== 'refuted')) return 'listed';
  if (status === 'unreadable' || live.some((a) => a.damaged)) return 'unreadable';
  return status === 'listed' ? 'not-asked' : status;
}

/** "Penicillin (hives, severe)" for a chip. */
export function allergyChip(a: Allergy): string {
  const details = [a.reaction, a.severity].filter(Boolean).join(', ');
  return details ? `${a.substance.display} (${details})` : a.substance.display;
}

/**
 * What an allergy is recorded to, for the list: "drug class" (it alerts for
 * every member), "allergen" (a food, venom, latex…), "RxNorm" (a drug
 * substance) or "uncoded" (free text, matched by its words).
 */
export function substanceKind(c: Coded): string {
  return c.code ? systemName(c.system) : 'uncoded';
}
