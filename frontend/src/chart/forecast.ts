// How the immunizations tab words a vaccine group's forecast.
import type { GroupForecast } from '../api/immunize';

export type DueState = 'overdue' | 'due' | 'upcoming' | 'done' | 'none';

/** Where a group stands on a day (YYYY-MM-DD): overdue from its past-due date, due from its recommended date. */
export function dueState(g: GroupForecast, day: string): DueState {
  if (g.status === 'Complete' || g.status === 'Immune') return 'done';
  if (g.status !== 'Not Complete' || !g.recommended) return 'none';
  if (g.pastDue && g.pastDue <= day) return 'overdue';
  if (g.recommended <= day) return 'due';
  return 'upcoming';
}

export const dueLabel: Record<DueState, string> = {
  overdue: 'Overdue',
  due: 'Due',
  upcoming: 'Upcoming',
  done: 'Complete',
  none: '',
};

/** The doses the evaluation did not count, with why (for the clinician to see at a glance). */
export function notCounted(g: GroupForecast) {
  return (g.doses ?? []).filter((d) => d.status !== 'Valid');
}
