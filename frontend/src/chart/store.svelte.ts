// The open chart's clinical data. It lives only in memory and is wiped on
// lock through onChartClear, like every other piece of patient data.
import * as api from '../api/chart';
import { onChartClear } from '../state/chart.svelte';
import { metricUnits } from './units';

export interface ClinicalState {
  patientId: string;
  summary: api.ChartSummary | null;
  encounters: api.Encounter[];
  notes: api.Note[];
  templates: api.Template[];
  problems: api.Problem[];
  medications: api.Medication[];
  allergies: api.Allergy[];
  vitals: api.VitalsRecord[];
  results: api.Result[];
  immunizations: api.Immunization[];
  units: api.PracticeUnits;
}

function empty(): ClinicalState {
  return {
    patientId: '',
    summary: null,
    encounters: [],
    notes: [],
    templates: [],
    problems: [],
    medications: [],
    allergies: [],
    vitals: [],
    results: [],
    immunizations: [],
    units: { ...metricUnits },
  };
}

export const clinical: ClinicalState = $state(empty());

onChartClear(() => Object.assign(clinical, empty()));

/** Each list and how to load it, so a tab can refresh just its own. */
const loaders = {
  summary: async (id: string) => (clinical.summary = await api.summary(id)),
  encounters: async (id: string) => (clinical.encounters = await api.encounters(id)),
  notes: async (id: string) => (clinical.notes = await api.notes(id)),
  problems: async (id: string) => (clinical.problems = await api.problems(id)),
  medications: async (id: string) => (clinical.medications = await api.medications(id)),
  allergies: async (id: string) => (clinical.allergies = await api.allergies(id)),
  vitals: async (id: string) => (clinical.vitals = await api.vitals(id)),
  results: async (id: string) => (clinical.results = await api.results(id)),
  immunizations: async (id: string) => (clinical.immunizations = await api.immunizations(id)),
} as const;

export type ListName = keyof typeof loaders;

/**
 * Opens a chart: the summary first (it is the audited chart open), then the
 * lists. A list that fails to load does not hide the others; the messages
 * of the failures are returned.
 */
export async function openChart(patientId: string): Promise<string[]> {
  Object.assign(clinical, empty(), { patientId });
  await loaders.summary(patientId);
  const rest = Object.entries(loaders).filter(([k]) => k !== 'summary');
  const settled = await Promise.allSettled([
    ...rest.map(([, load]) => load(patientId)),
    api.practiceUnits().then((u) => (clinical.units = u)),
    api.templates().then((t) => (clinical.templates = t)),
  ]);
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  return [...new Set(failed.map((f) => (f.reason as { message?: string })?.message ?? String(f.reason)))];
}

/** Reloads the given lists and the summary strip after a change. */
export async function refresh(...lists: ListName[]): Promise<void> {
  const id = clinical.patientId;
  if (!id) return;
  await Promise.all([...new Set<ListName>(['summary', ...lists])].map((l) => loaders[l](id)));
}

/** Records still on the chart (not retracted). */
export const current = <T extends api.Meta>(list: readonly T[]) => list.filter((r) => !r.enteredInError);
