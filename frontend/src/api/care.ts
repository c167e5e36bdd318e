// Preventive care (app.Care): what a patient is due for, decisions about
// it, the chronic-care registries and the practice's recall lists.
import * as Care from '../../wailsjs/go/app/Care';
import type { app, care, chart } from '../../wailsjs/go/models';
import { blankMeta, type Meta, toWire } from './chart';
import { call } from './errors';
import type { Printout } from './print';
import type { RegistryTargets } from './types';

export type CareStatus = 'due' | 'overdue' | 'up-to-date' | 'declined' | 'not-applicable';
export type DecisionKind = 'done-elsewhere' | 'declined' | 'not-applicable';

export interface CareDecision extends Meta {
  ruleId: string;
  decision: DecisionKind;
  date: string;
  reason: string;
  decidedByName?: string;
}

export interface DueItem {
  patientId: string;
  ruleId: string;
  title: string;
  category: string;
  status: CareStatus;
  dueDate: string;
  lastDone?: string;
  reason: string;
  source: string;
  grade?: string;
  version?: string;
  decision?: CareDecision | null;
}

export interface RecallContact extends Meta {
  ruleIds: string[];
  date: string;
  method: string;
  outcome: string;
  comment: string;
  byName?: string;
}

export interface RecallRow {
  patientId: string;
  mrn: string;
  name: string;
  birthDate: string;
  phone: string;
  items: DueItem[];
  lastContact?: RecallContact | null;
}

export type RecallStatus = '' | 'overdue' | 'this-month';
export interface RecallFilter {
  status: RecallStatus;
  ruleId: string;
  /** How many patients to show (0: the backend's default, 200). */
  limit: number;
}
export interface RecallList {
  rows: RecallRow[];
  total: number;
}

export interface Registry {
  id: string;
  title: string;
  problems: string[];
  source: string;
}
/** The practice's registry targets (Admin → Settings). */
export type Settings = RegistryTargets;
export interface Measure {
  name: string;
  last?: string;
  value?: string;
  status: 'ok' | 'overdue' | 'out-of-range';
  reason: string;
}
export interface RegistryRow {
  patientId: string;
  name: string;
  birthDate: string;
  measures: Measure[];
  attention: boolean;
}
export interface RegistryList {
  registry: Registry;
  settings: Settings;
  rows: RegistryRow[];
}

export const recallMethods = ['phone', 'letter', 'email', 'text', 'in-person'] as const;
export const recallOutcomes = ['booked', 'reached', 'message-left', 'no-answer', 'declined', 'wrong-number'] as const;

export const statusLabels: Record<CareStatus, string> = {
  due: 'Due',
  overdue: 'Overdue',
  'up-to-date': 'Up to date',
  declined: 'Declined',
  'not-applicable': 'Not applicable',
};

/** A label for a code such as "message-left": "message left". */
export const words = (code: string) => code.replaceAll('-', ' ');

const list = <T>(p: () => Promise<unknown>) => call(p as () => Promise<T[] | null>).then((r) => r ?? []);

export const due = (patientId: string) => list<DueItem>(() => Care.Due(patientId));

export function newDecision(patientId: string, ruleId: string, decision: DecisionKind): CareDecision {
  return { ...blankMeta(patientId), ruleId, decision, date: '', reason: '' };
}
export const decide = (d: CareDecision) =>
  call(() => Care.Decide(toWire(d) as unknown as chart.CareDecision)) as Promise<unknown> as Promise<CareDecision>;

export function newContact(patientId: string): RecallContact {
  return { ...blankMeta(patientId), ruleIds: [], date: '', method: 'phone', outcome: 'reached', comment: '' };
}
export const contacted = (r: RecallContact) =>
  call(() => Care.Contacted(toWire(r) as unknown as chart.RecallContact)) as Promise<unknown> as Promise<RecallContact>;

export const registries = () => list<Registry>(() => Care.Registries());
/** A registry's patients, judged on the practice's registry targets. */
export const registry = (id: string) =>
  call(() => Care.Registry(id)) as Promise<unknown> as Promise<RegistryList>;

export const recalls = (f: RecallFilter) =>
  call(() => Care.Recalls(f as care.RecallFilter)).then((r) => {
    const l = r as unknown as RecallList;
    return { rows: l.rows ?? [], total: l.total ?? 0 };
  });
export const chooseExportFolder = () => call(() => Care.ChooseExportFolder());
export const exportRecallsCSV = (f: RecallFilter, folder: string) =>
  call(() => Care.ExportRecallsCSV(f as care.RecallFilter, folder)) as Promise<app.RecallSaved>;
export const printRecalls = (f: RecallFilter) =>
  call(() => Care.PrintRecalls(f as care.RecallFilter)) as Promise<unknown> as Promise<Printout>;

/** What a patient is due for is clinical: clinicians and nurses see it, the front desk does not. */
export const canSeeCare = (role: string | undefined) => role === 'clinician' || role === 'nurse';
