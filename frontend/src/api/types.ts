// Plain data shapes of the Go API (package chart / app). They mirror the
// JSON tags of the Go structs; the generated wailsjs classes carry helper
// methods, so the rest of the UI works with these plain shapes instead.

export type Role = 'administrator' | 'clinician' | 'nurse' | 'frontdesk';
export type Sex = 'female' | 'male' | 'other' | 'unknown';

export const roleLabels: Record<Role, string> = {
  administrator: 'Administrator',
  clinician: 'Clinician',
  nurse: 'Nurse',
  frontdesk: 'Front desk',
};

export const sexLabels: Record<Sex, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
};

export interface User {
  id: string;
  username: string;
  fullName: string;
  role: Role;
  active: boolean;
  /** Professional credentials printed on prescriptions; '' when not set. */
  licenceNumber?: string;
  /** US National Provider Identifier: 10 digits with a check digit; '' when not set. */
  npi?: string;
  createdAt: string;
  updatedAt: string;
}

/** A user's professional credentials (chart.Credentials). */
export interface Credentials {
  licenceNumber: string;
  npi: string;
}

export interface NewUser {
  fullName: string;
  username: string;
  role: Role;
  passphrase: string;
}

export interface Practice {
  id: string;
  name: string;
  idleLockMinutes: number;
  /** Warn a workstation that has not synced for this many days (absent before sync existed). */
  syncWarnDays?: number;
  /** Printed on prescriptions: a few lines, as on a letterhead ('' when not set). */
  address?: string;
  phone?: string;
  /** The chronic-care registries' targets (chart.RegistryTargets). */
  registry?: RegistryTargets;
  createdAt: string;
}

/** The practice's targets for the chronic-care registries (administrators set them). */
export interface RegistryTargets {
  a1cMonths: number;
  a1cTarget: number;
  systolic: number;
  diastolic: number;
}

/** The practice's address and phone (chart.PracticeContact). */
export interface PracticeContact {
  address: string;
  phone: string;
}

export interface NewPractice {
  practiceName: string;
  admin: NewUser;
}

export interface WorkstationStatus {
  hasPractice: boolean;
  practiceName: string;
  deviceId: string;
  /** Joined a practice; the first sign-in opens what was fetched. */
  needsFirstSignIn?: boolean;
  signedIn?: User | null;
}

export interface SignedIn {
  user: User;
  practice: Practice;
}

export interface PracticeCreated extends SignedIn {
  recoveryKey: string;
}

export interface Address {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  directions: string;
}

export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}

export interface Insurance {
  payer: string;
  memberId: string;
  group?: string;
}

/** Who decides for a minor. */
export interface Guardian {
  name: string;
  relationship: string;
  phone: string;
}

/** Left on a record retired by a merge: the chart continues under `into`. */
export interface PatientMerge {
  into: string;
  at: string;
  by: string;
}

export interface Patient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  preferredName: string;
  birthDate: string;
  sex: Sex;
  genderIdentity: string;
  phone: string;
  address: Address;
  emergencyContact: EmergencyContact;
  preferredLanguage: string;
  email?: string;
  deceased?: boolean;
  deceasedDate?: string;
  /** Kept, but out of the lists and recalls by default. */
  inactive?: boolean;
  insurance: Insurance;
  guardian: Guardian;
  merged?: PatientMerge | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface PatientSummary {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  preferredName: string;
  birthDate: string;
  sex: Sex;
  phone: string;
  /** Why a patient is out of the lists by default (shown with "show inactive"). */
  inactive?: boolean;
  deceased?: boolean;
  mergedInto?: string;
  /** Set when the summary is a whole patient (the banner): the date of death. */
  deceasedDate?: string;
}

export interface PatientVersion {
  patient: Patient;
  /** Tells versions apart: concurrent edits share a version number. */
  changeId: string;
  version: number;
  /** Another version carries the same number (edited at the same time elsewhere). */
  concurrent: boolean;
  /**
   * The workstation that wrote it, as the backend names it: its name in
   * quotes ("\"Car laptop\""), or "…" and the end of its id before its name
   * has synced; "" for this workstation. lib/versions.ts puts it in words.
   */
  deviceName: string;
  changedAt: string;
  changedBy: string;
  changedByName: string;
}

export interface DuplicateCandidate {
  patient: PatientSummary;
  reason: string;
}

export const auditActions = [
  'sign-in',
  'sign-in failed',
  'lock',
  'chart open',
  'create',
  'update',
  'export',
  'search',
  'user administration',
  'practice setting',
  'passphrase change',
  'audit verification',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditFilter {
  userId: string;
  patientId: string;
  action: AuditAction | '';
  from: string;
  to: string;
  limit: number;
  beforeSeq: number;
  /** The practice-wide trail: every workstation's entries, paged with `before`. */
  allDevices?: boolean;
  before?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  userId: string;
  username: string;
  action: AuditAction;
  patientId?: string;
  recordKind?: string;
  recordId?: string;
  detail: string;
  deviceId: string;
  hash: string;
  /** Written on another workstation and received by sync. */
  remote?: boolean;
  /** Position in the practice-wide trail (pass as `before` for the next page). */
  cursor?: string;
  /** The patient's name, when this workstation holds the patient. */
  patientName?: string;
  /** The workstation's name ("This workstation" for this one). */
  deviceName?: string;
}

export type AuditBreakKind = 'changed' | 'removed' | 'moved' | 'added' | 'unsealed' | 'fork' | 'server';

/** One break found by verification: whose log, from which entry, and what. */
export interface AuditBreak {
  kind: AuditBreakKind;
  deviceId: string;
  deviceName: string;
  seq: number;
  problem: string;
}

export type AuditServerState =
  | 'not asked'
  | 'not connected'
  | 'unreachable'
  | 'empty'
  | 'held'
  | 'invalid'
  | 'matched'
  | 'mismatch';

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** This workstation's first bad entry (0 when its own log is intact). */
  firstBadSeq: number;
  problem: string;
  /** Every break found, here and in other workstations' logs. */
  breaks: AuditBreak[] | null;
  keyed: number;
  sealedLate: number;
  pending: number;
  workstations: number;
  remoteEntries: number;
  server: { state: AuditServerState; seq: number; message: string };
  /** What was checked, one sentence each. */
  checked: string[] | null;
}

/** An empty patient, the starting point of the registration form. */
export function blankPatient(): Patient {
  return {
    id: '',
    mrn: '',
    givenName: '',
    familyName: '',
    preferredName: '',
    birthDate: '',
    sex: 'unknown',
    genderIdentity: '',
    phone: '',
    address: { line1: '', line2: '', city: '', region: '', postalCode: '', country: '', directions: '' },
    emergencyContact: { name: '', relationship: '', phone: '' },
    preferredLanguage: '',
    email: '',
    deceased: false,
    deceasedDate: '',
    inactive: false,
    insurance: { payer: '', memberId: '', group: '' },
    guardian: { name: '', relationship: '', phone: '' },
    version: 0,
    createdAt: '',
    updatedAt: '',
    updatedBy: '',
  };
}

/**
 * A patient as the form edits it: every field present, so inputs bind to
 * strings (an older record may lack the newer fields).
 */
export function withPatientDefaults(p: Patient): Patient {
  const b = blankPatient();
  return {
    ...b,
    ...p,
    email: p.email ?? '',
    deceasedDate: p.deceasedDate ?? '',
    insurance: { ...b.insurance, ...p.insurance },
    guardian: { ...b.guardian, ...p.guardian },
  };
}

/** The age from which a patient needs no guardian (chart.AdultAge). */
export const adultAge = 18;

/** Why a patient is out of the lists by default, in words; '' when active. */
export function statusLabel(p: PatientSummary): string {
  if (p.mergedInto) return 'Merged';
  if (p.deceased) return 'Deceased';
  if (p.inactive) return 'Inactive';
  return '';
}
