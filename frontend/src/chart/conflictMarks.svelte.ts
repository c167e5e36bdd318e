// Which records of the open chart have open sync conflicts, for the marker
// each tab shows on them (ConflictMarker.svelte). Which records, never what
// values: still chart data (it says what was edited), so it is wiped on lock
// with the rest of the chart.
import { patientConflicts } from '../api/sync';
import type { ConflictMark } from '../api/syncTypes';
import { onChartClear } from '../state/chart.svelte';

export const conflictMarks: { patientId: string; byRecord: Record<string, ConflictMark> } = $state({
  patientId: '',
  byRecord: {},
});

// What was last asked for: a chart and the open-conflict count at the time.
// Every marker of a tab asks; only a new chart or a moved count fetches.
let asked = '';

/** Loads patientId's marks unless they are loaded for this count already. */
export function watchMarks(patientId: string, openConflicts: number): void {
  const key = `${patientId}/${openConflicts}`;
  if (!patientId || key === asked) return;
  asked = key;
  patientConflicts(patientId).then(
    (list) => {
      if (asked !== key) return; // another chart (or a newer count) since
      conflictMarks.patientId = patientId;
      conflictMarks.byRecord = Object.fromEntries(list.map((m) => [m.recordId, m]));
    },
    () => {
      // A marker is a hint: locked or unavailable, the chart shows none.
      if (asked === key) asked = '';
    },
  );
}

/** The mark of recordId in patientId's chart, if it has open conflicts. */
export function markOf(patientId: string, recordId: string): ConflictMark | undefined {
  return conflictMarks.patientId === patientId ? conflictMarks.byRecord[recordId] : undefined;
}

onChartClear(() => {
  asked = '';
  conflictMarks.patientId = '';
  conflictMarks.byRecord = {};
});
