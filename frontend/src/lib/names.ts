import type { PatientSummary } from '../api/types';

type Named = Pick<PatientSummary, 'familyName' | 'givenName' | 'preferredName'>;

/** "FAMILY, Given" as charts list patients; the preferred name is shown separately. */
export function listName(p: Named): string {
  const family = p.familyName.toUpperCase();
  return p.givenName ? `${family}, ${p.givenName}` : family;
}

/** "Given Family", for sentences and headings. */
export function displayName(p: Named): string {
  return [p.givenName, p.familyName].filter(Boolean).join(' ');
}
