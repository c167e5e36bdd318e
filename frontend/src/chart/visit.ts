// The visit a piece of charting belongs to: which encounter is open (today's,
// its note not yet signed), which can still be edited, and whether a
// diagnosis is already on the problem list. These mirror the backend's rules
// (chart/visits.go) so the screen offers only what the backend accepts.
import type { ChartSummary, Coded, Encounter, Note, Problem } from '../api/chart';
import { when } from './forms';
import { encounterTitle } from './timeline';

type NoteFacts = Pick<Note, 'kind' | 'signature' | 'addendumTo' | 'enteredInError' | 'damaged'>;

/** A signed clinical note (not an addendum) closes its encounter (chart.ClosesEncounter). */
export function closesEncounter(n: NoteFacts): boolean {
  return !!n.signature && !n.addendumTo && n.kind !== 'nursing' && !n.enteredInError && !n.damaged;
}

/** The encounters closed by a signed note. */
export function closedEncounters(notes: readonly (NoteFacts & { encounterId: string })[]): Set<string> {
  return new Set(notes.filter((n) => n.encounterId && closesEncounter(n)).map((n) => n.encounterId));
}

/** The encounter new charting defaults to: the summary's open one, or none. */
export const defaultEncounterId = (summary: ChartSummary | null | undefined): string => summary?.openEncounter?.id ?? '';

/**
 * The choices of an "Encounter" field: none, then the encounters newest
 * first. The open one is always offered, even before the encounter list has
 * loaded.
 */
export function encounterChoices(encounters: readonly Encounter[], open?: Encounter | null): { value: string; label: string }[] {
  const list = encounters.filter((e) => !e.enteredInError && !e.damaged);
  if (open && !list.some((e) => e.id === open.id)) list.push(open);
  list.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  return [
    { value: '', label: 'No encounter' },
    ...list.map((e) => ({ value: e.id, label: `${when(e.start)} ${encounterTitle(e)}${e.id === open?.id ? ' (open)' : ''}` })),
  ];
}

const words = (s: string) => s.trim().split(/\s+/).join(' ').toLowerCase();

/** Whether two conditions are the same (chart.SameCondition). */
export function sameCondition(a: Coded, b: Coded): boolean {
  if (a.code || b.code) return a.system === b.system && a.code.toLowerCase() === b.code.toLowerCase();
  return words(a.display) === words(b.display);
}

/** The active problem that already holds this diagnosis, if any. */
export function activeProblemFor(dx: Coded, problems: readonly Problem[]): Problem | undefined {
  return problems.find((p) => !p.enteredInError && !p.damaged && p.status === 'active' && sameCondition(p.condition, dx));
}
