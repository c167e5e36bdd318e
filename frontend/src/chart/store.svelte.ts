// The open chart's clinical data. It lives only in memory and is wiped on
// lock through onChartClear, like every other piece of patient data.
import * as api from '../api/chart';
import { onChartClear } from '../state/chart.svelte';
import { type Fetch, LazyLists } from './lazy';
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
  procedures: api.Procedure[];
  familyHistory: api.FamilyHistory[];
  socialHistory: api.SocialHistory[];
  pregnancies: api.PregnancyStatus[];
  units: api.PracticeUnits;
  /** The fixed lists of the history forms and the note placeholders. */
  choices: api.ChartingChoices;
  /** The lists that have arrived (or failed) since the chart was opened. */
  loaded: Partial<Record<ListName, true>>;
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
    procedures: [],
    familyHistory: [],
    socialHistory: [],
    pregnancies: [],
    units: { ...metricUnits },
    choices: { smokingStatuses: [], familyRelations: [], placeholders: [] },
    loaded: {},
  };
}

export const clinical: ClinicalState = $state(empty());

/** A fetch whose answer is applied only if the chart is still the same one. */
const into =
  <T>(fetch: (id: string) => Promise<T>, set: (v: T) => void): Fetch =>
  async (id) => {
    const v = await fetch(id);
    return () => set(v);
  };

/** Each list and how to load it, so a tab can load and refresh just its own. */
const fetchers = {
  summary: into(api.summary, (v) => (clinical.summary = v)),
  encounters: into(api.encounters, (v) => (clinical.encounters = v)),
  notes: into(api.notes, (v) => (clinical.notes = v)),
  problems: into(api.problems, (v) => (clinical.problems = v)),
  medications: into(api.medications, (v) => (clinical.medications = v)),
  allergies: into(api.allergies, (v) => (clinical.allergies = v)),
  vitals: into(api.vitals, (v) => (clinical.vitals = v)),
  results: into(api.results, (v) => (clinical.results = v)),
  immunizations: into(api.immunizations, (v) => (clinical.immunizations = v)),
  procedures: into(api.procedures, (v) => (clinical.procedures = v)),
  familyHistory: into(api.familyHistories, (v) => (clinical.familyHistory = v)),
  socialHistory: into(api.socialHistories, (v) => (clinical.socialHistory = v)),
  pregnancies: into(api.pregnancyStatuses, (v) => (clinical.pregnancies = v)),
  // Practice-wide settings, not patient data; no chart needs to be open.
  units: into(() => api.practiceUnits(), (v) => (clinical.units = v)),
  templates: into(() => api.templates(), (v) => (clinical.templates = v)),
  choices: into(() => api.choices(), (v) => (clinical.choices = v)),
} satisfies Record<string, Fetch>;

export type ListName = keyof typeof fetchers;

const lists = new LazyLists<ListName>(fetchers, (name) => (clinical.loaded[name] = true));

onChartClear(() => {
  lists.reset();
  Object.assign(clinical, empty());
});

/**
 * Opens a chart: only the summary (it is the audited chart open) is waited
 * for; it throws if the summary cannot be read. The practice's units and
 * templates load alongside without holding it up; every other list loads
 * when something first needs it (ensureLists). An answer arriving after
 * the chart was locked or another one opened is dropped.
 */
export async function openChart(patientId: string): Promise<{ practice: Promise<string[]> }> {
  const generation = lists.reset();
  Object.assign(clinical, empty(), { patientId });
  const practice = lists.ensure(patientId, ['units', 'templates', 'choices']);
  const summary = await api.summary(patientId);
  if (lists.isCurrent(generation)) {
    clinical.summary = summary;
    clinical.loaded.summary = true;
  }
  return { practice };
}

/** Loads the lists not loaded yet for the open chart; resolves to failure messages. */
export function ensureLists(...names: ListName[]): Promise<string[]> {
  const id = clinical.patientId;
  return id ? lists.ensure(id, names) : Promise.resolve([]);
}

/** Reloads the given lists and the summary strip after a change. */
export async function refresh(...names: ListName[]): Promise<void> {
  const id = clinical.patientId;
  if (!id) return;
  await lists.reload(id, ['summary', ...names]);
}

/**
 * Records still on the chart (not retracted) that opened: placeholders of
 * records that could not be opened are shown apart (damagedOf, DamagedRecord).
 */
export const current = <T extends api.Meta>(list: readonly T[]) => list.filter((r) => !r.enteredInError && !r.damaged);
