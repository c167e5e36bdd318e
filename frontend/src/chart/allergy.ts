// How the allergy state of a chart reads. "None known" (someone asked) and
// "not yet asked" must never look alike: only the first is safe to prescribe on.
import type { Allergy, AllergyStatus } from '../api/chart';

export function allergyStatusLabel(status: AllergyStatus, count: number): string {
  switch (status) {
    case 'none-known':
      return 'No known allergies';
    case 'listed':
      return count === 1 ? '1 allergy' : `${count} allergies`;
    default:
      return 'Allergies not yet asked';
  }
}

/** The effective status: listed allergies win over a stale NKA flag. */
export function effectiveAllergyStatus(status: AllergyStatus, allergies: readonly Allergy[]): AllergyStatus {
  const current = allergies.filter((a) => !a.enteredInError && a.verification !== 'refuted');
  if (current.length > 0) return 'listed';
  return status === 'listed' ? 'not-asked' : status;
}

/** "Penicillin (hives, severe)" for a chip. */
export function allergyChip(a: Allergy): string {
  const details = [a.reaction, a.severity].filter(Boolean).join(', ');
  return details ? `${a.substance.display} (${details})` : a.substance.display;
}
