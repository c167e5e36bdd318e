// Placeholders for records that could not be opened. The store returns one
// in place of a record whose sealed row fails its integrity check (altered
// on disk, or sealed under a key this workstation does not hold): only its
// ids and version, and `damaged`, the message to show. Every list shows them
// first, marked, never editable; everything else works on the records that
// opened (store.current leaves placeholders out).

/** Anything that may be a placeholder. */
export interface MaybeDamaged {
  id: string;
  damaged?: string;
  enteredInError?: unknown;
}

export const isDamaged = (r: MaybeDamaged): boolean => !!r.damaged;

/** The placeholders of a list (the records that could not be opened). */
export const damagedOf = <T extends MaybeDamaged>(list: readonly T[] | null | undefined): T[] =>
  (list ?? []).filter((r) => isDamaged(r) && !r.enteredInError);

/** Said when the store sent a placeholder without its message. */
const fallback = 'It may have been altered on disk, or it was sealed under a key this workstation does not hold. Tell your practice administrator.';

/** "Medication could not be opened" and the store's explanation, for one placeholder. */
export function damagedText(noun: string, r: MaybeDamaged): { title: string; message: string } {
  const title = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} could not be opened`;
  return { title, message: r.damaged?.trim() || fallback };
}

/** "1 patient record could not be opened" for the patient list, or ''. */
export function unreadablePatientsText(n: number): string {
  if (!(n > 0)) return '';
  const what = n === 1 ? '1 patient record' : `${n} patient records`;
  return `${what} could not be opened and ${n === 1 ? 'is' : 'are'} not listed; tell your practice administrator.`;
}
