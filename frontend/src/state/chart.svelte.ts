// Patient data held by the UI. It lives only in memory and is wiped on lock:
// anything that shows chart content keeps it here (or in component state
// that unmounts on lock) so clearChartState() can account for all of it.
import type { Patient, PatientSummary, PatientVersion } from '../api/types';

export interface ChartState {
  query: string;
  results: PatientSummary[];
  highlighted: number;
  patient: Patient | null;
  history: PatientVersion[];
  /** The patient form being edited, if any (unsaved input is chart data too). */
  draft: Patient | null;
}

function empty(): ChartState {
  return { query: '', results: [], highlighted: -1, patient: null, history: [], draft: null };
}

export const chartState: ChartState = $state(empty());

const extraClears = new Set<() => void>();

/** Lets later chart modules (allergies, notes…) register their own wipe. */
export function onChartClear(fn: () => void): () => void {
  extraClears.add(fn);
  return () => extraClears.delete(fn);
}

/** Empties every piece of patient data the frontend holds. */
export function clearChartState(): void {
  Object.assign(chartState, empty());
  for (const fn of extraClears) fn();
}
