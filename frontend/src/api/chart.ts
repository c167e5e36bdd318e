// The clinical chart (encounters, notes, lists, vitals, results,
// immunizations). Plain data shapes mirroring the Go JSON tags of package
// chart, and typed wrappers over the generated bindings.
import * as C from '../../wailsjs/go/app/Chart';
import type { chart } from '../../wailsjs/go/models';
import { notifyChanged } from './changed';
import { call } from './errors';

export interface Coded {
  system: string;
  code: string;
  display: string;
}

export interface EnteredInError {
  at: string;
  by: string;
  byName: string;
  reason: string;
}

/** Where an imported record came from (chart.SourceRef). */
export interface SourceRef {
  system: string;
  type: string;
  id: string;
  importId: string;
  importedAt: string;
  /** From outside the practice (a lab, a hospital): shown with its source. */
  external?: boolean;
}

/** What every clinical record carries; the store sets it. */
export interface Meta {
  id: string;
  patientId: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  enteredInError?: EnteredInError | null;
  /**
   * Set on a placeholder: a record that could not be opened (altered on
   * disk, or sealed under a key this workstation does not hold). It has only
   * its ids and version; every other field is empty. See chart/damaged.ts.
   */
  damaged?: string;
  /** Set on a record brought in by an import. */
  origin?: SourceRef | null;
}

export type EncounterType = 'office' | 'home' | 'telephone' | 'telehealth' | 'other';

export interface Encounter extends Meta {
  type: EncounterType;
  start: string;
  location: string;
  clinicianId: string;
  clinicianName: string;
  reason: string;
  diagnoses: Coded[];
  /** Imported encounters: their end, FHIR class and type as the source named it. */
  end?: string;
  class?: string;
  typeText?: string;
}

export type NoteKind = 'clinical' | 'nursing';

export interface NoteSection {
  key: string;
  label: string;
  text: string;
}

export interface Signature {
  signerId: string;
  signerName: string;
  signerRole: string;
  signedAt: string;
  contentHash: string;
}

export interface Note extends Meta {
  encounterId: string;
  templateId: string;
  kind: NoteKind;
  title: string;
  sections: NoteSection[];
  authorId: string;
  authorName: string;
  addendumTo?: string;
  signature?: Signature | null;
  /** Set on a note brought in from outside: signed there, read-only here. */
  imported?: ImportedNote | null;
}

export interface ImportedNote {
  authorName: string;
  organization?: string;
  date: string;
  mediaType?: string;
}

/** A procedure done here or elsewhere (imported; the chart lists it read-only). */
export interface Procedure extends Meta {
  code: Coded;
  status: string;
  performed: string;
  performedEnd?: string;
  encounterId?: string;
  reason?: string;
  performer?: string;
  bodySite?: string;
  comment?: string;
}

/** "Imported from Valley Hospital — author Dr Quinlan", for an imported note. */
export function importedNoteLine(n: Note): string {
  if (!n.imported) return '';
  const from = n.origin?.system || n.imported.organization || 'another system';
  return `Imported from ${from} — author ${n.imported.authorName}`;
}

/** "External: Valley Lab" for a result from outside the practice, else ''. */
export function externalTag(m: Meta): string {
  return m.origin?.external ? `External: ${m.origin.system || 'outside source'}` : '';
}

export interface Template {
  id: string;
  name: string;
  kind: NoteKind;
  /** text: the section's starting text; its placeholders ({{vitals}}) are filled in when a note starts. */
  sections: { key: string; label: string; prompt: string; text?: string }[];
  builtIn: boolean;
}

export type ProblemStatus = 'active' | 'inactive' | 'resolved';

export interface Problem extends Meta {
  condition: Coded;
  onset: string;
  status: ProblemStatus;
  chronic: boolean;
  comment: string;
}

export interface SafetyAlert {
  kind: string;
  severity: string;
  message: string;
  ruleId: string;
}

export interface SafetyOverride {
  alerts: SafetyAlert[];
  reason: string;
  by: string;
  byName: string;
  at: string;
}

export interface Medication extends Meta {
  drug: Coded;
  dose: string;
  unit: string;
  route: string;
  frequency: string;
  instructions: string;
  quantity: string;
  refills: number;
  startDate: string;
  stopDate: string;
  status: 'active' | 'completed' | 'stopped';
  stopReason: string;
  source: 'prescribed' | 'reported';
  prescriberId: string;
  prescriberName: string;
  override?: SafetyOverride | null;
  /** How many days the quantity lasts (0 or absent: not given). */
  daysSupply?: number;
  /** The visit at which it was started. */
  encounterId?: string;
  /** The prescription this one renews, and (on that one) its renewal; set by the store. */
  renewalOf?: string;
  renewedBy?: string;
  /** The last review with the patient (reconciliation); set by the store. */
  reconciledAt?: string | null;
  reconciledBy?: string;
  reconciledByName?: string;
}

export interface Allergy extends Meta {
  substance: Coded;
  type: string;
  reaction: string;
  severity: string;
  criticality: string;
  verification: string;
  onset: string;
  comment: string;
}

/** 'unreadable': an allergy record (or the "no known allergies" statement) could not be opened. */
export type AllergyStatus = 'not-asked' | 'none-known' | 'listed' | 'unreadable';

export interface ChartFlags extends Meta {
  noKnownAllergies: boolean;
  noKnownProblems: boolean;
}

export interface Result extends Meta {
  test: Coded;
  value: string;
  unit: string;
  refLow: string;
  refHigh: string;
  refText: string;
  flag: string;
  collectedAt: string;
  resultedAt: string;
  attachmentIds: string[] | null;
  reviewedBy?: string;
  reviewedName?: string;
  reviewedAt?: string | null;
  /** The visit at which the test was ordered. */
  encounterId?: string;
  /** The report (panel) it belongs to and the lab that reported it, for results from outside. */
  reportId?: string;
  reportName?: string;
  performer?: string;
}

export interface Attachment extends Meta {
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface AttachmentFile {
  attachment: Attachment;
  /** The file's bytes, base64. */
  data: string;
}

export interface Immunization extends Meta {
  vaccine: Coded;
  date: string;
  doseNumber: number;
  lot: string;
  expiry: string;
  manufacturer: string;
  site: string;
  route: string;
  givenBy: string;
  source: 'given' | 'historical';
  refused: boolean;
  refusalReason: string;
  /** Why a dose dated after its lot's expiry was recorded anyway. */
  expiredLotReason?: string;
}

export type VitalField =
  | 'systolic'
  | 'diastolic'
  | 'heartRate'
  | 'respiratoryRate'
  | 'temperature'
  | 'spo2'
  | 'weight'
  | 'height'
  | 'pain'
  | 'headCircumference'
  | 'bmi';

/** One set of vitals, canonical UCUM units; a missing key = not measured. */
export type VitalSigns = Partial<Record<VitalField, number | null>>;

export interface VitalFlag {
  field: VitalField;
  level: 'high' | 'low';
  message: string;
}

export interface VitalsRecord extends Meta {
  encounterId?: string;
  takenAt: string;
  signs: VitalSigns;
  flags: VitalFlag[] | null;
  takenBy: string;
  takenByName: string;
}

export interface VitalReading {
  value: number;
  unit?: string;
}

export type VitalsEntry = Partial<Record<Exclude<VitalField, 'bmi'>, VitalReading>>;

export interface PracticeUnits {
  weight: string;
  height: string;
  temperature: string;
  /** How numeric dates are written: day first, month first, or '' (follow the units). */
  dateOrder?: 'dmy' | 'mdy' | '';
}

export interface TimelineItem {
  kind: string;
  id: string;
  at: string;
  title: string;
  detail: string;
  status: string;
  /** Set (with kind and id only) for an encounter or note that could not be opened. */
  damaged?: string;
}

export interface ChartSummary {
  patient: { id: string; familyName: string; givenName: string; birthDate: string; sex: string };
  allergyStatus: AllergyStatus;
  allergies: Allergy[] | null;
  noKnownProblems: boolean;
  problems: Problem[] | null;
  medications: Medication[] | null;
  latestVitals?: VitalsRecord | null;
  /** A vitals set charted after latestVitals that could not be opened (it may be the latest). */
  damagedVitals?: VitalsRecord | null;
  immunizations: Immunization[] | null;
  timeline: TimelineItem[] | null;
  resultsToReview: Result[] | null;
  /** Today's visit still open (no signed clinical note): what charting defaults to. */
  openEncounter?: Encounter | null;
  socialHistory?: SocialHistory | null;
  pregnancy?: PregnancyStatus | null;
  /** A woman of child-bearing age (12 to 55): pregnancy status is asked and shown. */
  pregnancyRelevant: boolean;
}

export interface FamilyHistory extends Meta {
  /** HL7 v3 RoleCode of the relative (choices.familyRelations). */
  relation: string;
  condition: Coded;
  onsetAge?: number | null;
  deceased: boolean;
  comment: string;
}

export interface AuditC {
  howOften: number;
  howMany: number;
  sixOrMore: number;
}

export interface SocialHistory extends Meta {
  date: string;
  /** One of choices.smokingStatuses (SNOMED CT), or empty when not asked. */
  smoking: Coded;
  packYears?: string;
  auditC?: AuditC | null;
  drinksPerWeek?: number | null;
  occupation: string;
  comment: string;
}

export type PregnancyStatusValue = 'pregnant' | 'not-pregnant' | 'unknown';

export interface PregnancyStatus extends Meta {
  date: string;
  status: PregnancyStatusValue;
  lmp?: string;
  edd?: string;
  comment: string;
}

export interface Placeholder {
  name: string;
  label: string;
  description: string;
}

/** The fixed lists the chart's forms offer, as the backend accepts them. */
export interface ChartingChoices {
  smokingStatuses: Coded[];
  familyRelations: { code: string; label: string }[];
  placeholders: Placeholder[];
}

export interface DiagnosisProblem {
  problem: Problem;
  /** The diagnosis was already an active problem: nothing was added. */
  existing: boolean;
}

export type ReviewDecision = 'keep' | 'changed' | 'stop';

export interface MedicationChange {
  dose: string;
  unit: string;
  frequency: string;
  instructions: string;
}

export interface MedicationReview {
  id: string;
  version: number;
  decision: ReviewDecision;
  stopReason: string;
  change?: MedicationChange;
}

export interface TodayVisit {
  encounterId: string;
  start: string;
  type: EncounterType;
  reason: string;
  clinicianName: string;
  signed: boolean;
}

export interface TodayPatient {
  patient: { id: string; mrn: string; givenName: string; familyName: string; preferredName: string; birthDate: string; sex: string; phone: string };
  visits: TodayVisit[] | null;
  openedAt?: string | null;
}

export interface RecordVersion {
  /** changeId, concurrent and deviceName as in PatientVersion. */
  changeId: string;
  version: number;
  concurrent: boolean;
  deviceName: string;
  changedAt: string;
  changedBy: string;
  changedByName: string;
  /** The record at that version, as JSON. */
  content: string;
}

/** The signed-in user as the chart needs it (api User and chart.User both fit). */
export interface ChartUser {
  id: string;
  username: string;
  fullName: string;
  role: string;
}

export type RecordKind =
  | 'encounter'
  | 'note'
  | 'problem'
  | 'medication'
  | 'allergy'
  | 'vitals'
  | 'result'
  | 'immunization'
  | 'family-history'
  | 'social-history'
  | 'pregnancy'
  | 'procedure'
  | 'care-decision'
  | 'recall-contact';

/** A fresh record's Meta: the store fills it in. */
export function blankMeta(patientId: string): Meta {
  return { id: '', patientId, version: 0, createdAt: '', createdBy: '', updatedAt: '', updatedBy: '' };
}

/**
 * Go cannot parse an empty string as a time, so a new record's empty
 * timestamps (and any other empty time field) are left out on the wire.
 */
export function toWire<T extends object>(rec: T): T {
  const wire: Record<string, unknown> = { ...(rec as Record<string, unknown>) };
  for (const k of ['createdAt', 'updatedAt', 'reviewedAt', 'reconciledAt', 'enteredInError', 'override', 'signature']) {
    if (wire[k] === '' || wire[k] === null || wire[k] === undefined) delete wire[k];
  }
  return wire as T;
}

const list = <T>(p: () => Promise<unknown>) => call(p as () => Promise<T[] | null>).then((r) => r ?? []);
// A single-record call is mostly a save: the inbox counts refresh after it.
const one = <T>(p: () => Promise<unknown>) => call(p as () => Promise<T>).then((r) => (notifyChanged(), r));
const w = <T>(x: object) => toWire(x) as unknown as T;

export const summary = (patientId: string) => one<ChartSummary>(() => C.Summary(patientId));

export const encounters = (patientId: string) => list<Encounter>(() => C.Encounters(patientId));
export const saveEncounter = (e: Encounter) => one<Encounter>(() => C.SaveEncounter(w<chart.Encounter>(e)));

export const templates = () => list<Template>(() => C.Templates());
export const notes = (patientId: string) => list<Note>(() => C.Notes(patientId));
export const note = (id: string) => one<Note>(() => C.Note(id));
export const saveNoteDraft = (n: Note) => one<Note>(() => C.SaveNoteDraft(w<chart.Note>(n)));
export const signNote = (id: string, version: number) => one<Note>(() => C.SignNote(id, version));
export const startAddendum = (noteId: string) => one<Note>(() => C.StartAddendum(noteId));

export const problems = (patientId: string) => list<Problem>(() => C.Problems(patientId));
export const saveProblem = (p: Problem) => one<Problem>(() => C.SaveProblem(w<chart.Problem>(p)));

export const allergies = (patientId: string) => list<Allergy>(() => C.Allergies(patientId));
export const saveAllergy = (a: Allergy) => one<Allergy>(() => C.SaveAllergy(w<chart.Allergy>(a)));
export const setChartFlags = (f: ChartFlags) => one<ChartFlags>(() => C.SetChartFlags(w<chart.ChartFlags>(f)));

export const medications = (patientId: string) => list<Medication>(() => C.Medications(patientId));
export const checkMedication = (m: Medication) =>
  list<SafetyAlert>(() => C.CheckMedication(w<chart.Medication>(m)));
export const saveMedication = (m: Medication, overrideReason = '') =>
  one<Medication>(() => C.SaveMedication(w<chart.Medication>(m), overrideReason));

export const vitals = (patientId: string) => list<VitalsRecord>(() => C.Vitals(patientId));
export const recordVitals = (patientId: string, encounterId: string, takenAt: string, e: VitalsEntry) =>
  one<VitalsRecord>(() => C.RecordVitals(patientId, encounterId, takenAt, e as unknown as chart.VitalsEntry));
export const practiceUnits = () => one<PracticeUnits>(() => C.PracticeUnits());
/** The typical vital-sign ranges by age that flag readings (chart/vitalranges.json), canonical units. */
export const vitalRanges = () =>
  one<{ bands: { id: string; from: string; phrase: string; ranges: Record<string, { low: number; high: number }> }[] }>(() =>
    C.VitalRanges(),
  );

export const results = (patientId: string) => list<Result>(() => C.Results(patientId));
export const resultsToReview = () => list<Result>(() => C.ResultsToReview());
export const saveResult = (r: Result) => one<Result>(() => C.SaveResult(w<chart.Result>(r)));
export const acknowledgeResult = (id: string) => one<Result>(() => C.AcknowledgeResult(id));
/** data is the file's bytes as base64 ([]byte travels as base64 in JSON). */
export const attachToResult = (resultId: string, fileName: string, mediaType: string, data: string) =>
  one<Attachment>(() => C.AttachToResult(resultId, fileName, mediaType, data as unknown as number[]));
export const attachment = (id: string) => one<AttachmentFile>(() => C.Attachment(id));

export const immunizations = (patientId: string) => list<Immunization>(() => C.Immunizations(patientId));
export const saveImmunization = (im: Immunization) =>
  one<Immunization>(() => C.SaveImmunization(w<chart.Immunization>(im)));

export const procedures = (patientId: string) => list<Procedure>(() => C.Procedures(patientId));

export const markEnteredInError = (kind: RecordKind, id: string, reason: string) =>
  call(() => C.MarkEnteredInError(kind, id, reason));
export const recordHistory = (kind: RecordKind, id: string) =>
  list<RecordVersion>(() => C.RecordHistory(kind, id));

export const saveTemplate = (t: Template) => one<Template>(() => C.SaveTemplate(t as unknown as chart.Template));
export const setPracticeUnits = (u: PracticeUnits) =>
  one<PracticeUnits>(() => C.SetPracticeUnits(u as unknown as chart.PracticeUnits));

export const problemFromDiagnosis = (encounterId: string, diagnosis: Coded) =>
  one<DiagnosisProblem>(() => C.ProblemFromDiagnosis({ encounterId, diagnosis } as chart.DiagnosisToProblem));
/** Fills placeholders ({{vitals}}…) in each text from the chart as it is now. */
export const chartText = (patientId: string, encounterId: string, texts: string[]) =>
  list<string>(() => C.ChartText({ patientId, encounterId, texts } as chart.ChartTextRequest));
export const choices = () => one<ChartingChoices>(() => C.Choices());

export const renewMedication = (previous: Medication, next: Medication, overrideReason = '') =>
  one<Medication>(() =>
    C.RenewMedication({
      previousId: previous.id,
      previousVersion: previous.version,
      medication: w<chart.Medication>(next),
      overrideReason,
    } as unknown as chart.MedicationRenewal),
  );
export const stopMedication = (m: Medication, date: string, reason: string) =>
  one<Medication>(() => C.StopMedication({ id: m.id, version: m.version, date, reason } as chart.MedicationStop));
export const reconcileMedications = (patientId: string, reviews: MedicationReview[]) =>
  list<Medication>(() => C.ReconcileMedications({ patientId, reviews } as unknown as chart.MedicationReconciliation));

export const familyHistories = (patientId: string) => list<FamilyHistory>(() => C.FamilyHistories(patientId));
export const saveFamilyHistory = (f: FamilyHistory) =>
  one<FamilyHistory>(() => C.SaveFamilyHistory(w<chart.FamilyHistory>(f)));
export const socialHistories = (patientId: string) => list<SocialHistory>(() => C.SocialHistories(patientId));
export const saveSocialHistory = (h: SocialHistory) =>
  one<SocialHistory>(() => C.SaveSocialHistory(w<chart.SocialHistory>(h)));
export const pregnancyStatuses = (patientId: string) => list<PregnancyStatus>(() => C.PregnancyStatuses(patientId));
export const savePregnancyStatus = (p: PregnancyStatus) =>
  one<PregnancyStatus>(() => C.SavePregnancyStatus(w<chart.PregnancyStatus>(p)));

export const todaysPatients = () => list<TodayPatient>(() => C.TodaysPatients());
