// The normal band of the vitals trend plot: the same typical ranges by age
// that flag a reading (chart/vitalranges.json, from the backend once: it is
// reference data, not a chart), for the patient's age at each reading.
import { vitalRanges } from '../api/chart';
import type { PracticeUnits, VitalField } from '../api/chart';
import { chartState } from '../state/chart.svelte';
import { clinical } from './store.svelte';
import { ageBandSegments, type AgeBand, type Point, type RangeSegment } from './trend';
import { displayValue } from './units';

const table: { bands: AgeBand[] } = $state({ bands: [] });
let asked = false;

// Weight and height ranges only refuse a slipped digit: a band of 35 to
// 200 kg says nothing about a patient.
const noBand = new Set<VitalField>(['weight', 'height']);

/**
 * The typical range of field over the plotted points of the open chart, in
 * the practice's units, for the patient's age at each reading.
 */
export function vitalRangeSegments(field: VitalField, points: readonly Point[], units: PracticeUnits): RangeSegment[] {
  const p = chartState.patient;
  const birthDate = p && p.id === clinical.patientId ? p.birthDate : '';
  if (!asked) {
    asked = true;
    vitalRanges().then(
      (r) => (table.bands = r.bands ?? []),
      () => (asked = false), // no band this time; the plot still draws
    );
  }
  const xs = points.map((p) => p.x).filter(Number.isFinite);
  if (noBand.has(field) || !birthDate || xs.length === 0) return [];
  return ageBandSegments(table.bands, birthDate, field, Math.min(...xs), Math.max(...xs), (v) => displayValue(field, v, units));
}
