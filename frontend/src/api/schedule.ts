// The appointment book: typed wrappers over the generated bindings of
// app.Schedule (and Sync.SetRouteByDate). The front desk receives bookings
// without their reason; the backend decides.
import * as S from '../../wailsjs/go/app/Schedule';
import * as Y from '../../wailsjs/go/app/Sync';
import type { chart } from '../../wailsjs/go/models';
import { call } from './errors';
import type { Printout } from './print';
import type { SyncScope } from './syncTypes';

export type AppointmentType = 'office' | 'home' | 'telephone' | 'telehealth' | 'walk-in';
export type AppointmentStatus = 'booked' | 'checked-in' | 'completed' | 'cancelled' | 'no-show';

export const appointmentTypes: { value: AppointmentType; label: string }[] = [
  { value: 'office', label: 'Office' },
  { value: 'home', label: 'Home visit' },
  { value: 'telephone', label: 'Telephone' },
  { value: 'telehealth', label: 'Telehealth' },
  { value: 'walk-in', label: 'Walk-in' },
];

export const statusLabels: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  'checked-in': 'Checked in',
  completed: 'Checked out',
  cancelled: 'Cancelled',
  'no-show': 'No-show',
};

export interface StatusChange {
  status: AppointmentStatus;
  at: string;
  by: string;
  byName: string;
  note?: string;
}

export interface Appointment {
  id: string;
  version: number;
  patient: string;
  patientName: string;
  clinicianId: string;
  clinicianName: string;
  /** Local "YYYY-MM-DDTHH:MM". */
  start: string;
  minutes: number;
  type: AppointmentType;
  reason: string;
  status: AppointmentStatus;
  history: StatusChange[];
  address?: string;
  directions?: string;
  routeOrder?: number;
}

export interface Book {
  id: string;
  name: string;
  role: 'clinician' | 'nurse';
}

export interface ScheduleView {
  from: string;
  days: number;
  appointments: Appointment[];
  /** A booking's id → the ids it shares its time with (double bookings). */
  overlaps: Record<string, string[]>;
}

export interface CallListEntry {
  appointment: Appointment;
  phone: string;
  mrn: string;
}

export interface NewAppointment {
  id?: string;
  version?: number;
  patient: string;
  clinicianId: string;
  start: string;
  minutes: number;
  type: AppointmentType;
  reason: string;
  address?: string;
  directions?: string;
}

const asView = (p: Promise<unknown>) =>
  (p as Promise<ScheduleView>).then((v) => ({ ...v, appointments: v.appointments ?? [], overlaps: v.overlaps ?? {} }));

export const books = () => call(() => S.Books() as Promise<unknown> as Promise<Book[]>);
/** book '' is every book. */
export const day = (book: string, d: string) => call(() => asView(S.Day(book, d)));
export const week = (book: string, d: string) => call(() => asView(S.Week(book, d)));
export const save = (a: NewAppointment) =>
  call(() => S.Save(a as unknown as chart.Appointment) as Promise<unknown> as Promise<Appointment>);
export const move = (a: Appointment, to: AppointmentStatus, note = '') =>
  call(() => S.Move(a.id, a.version, to, note) as Promise<unknown> as Promise<Appointment>);
export const nurseDay = (nurse: string, d: string) =>
  call(() => S.NurseDay(nurse, d) as Promise<unknown> as Promise<Appointment[]>);
export const reorderNurseDay = (nurse: string, d: string, ids: string[]) =>
  call(() => S.ReorderNurseDay(nurse, d, ids) as Promise<unknown> as Promise<Appointment[]>);
export const forPatient = (patientId: string) =>
  call(() => S.ForPatient(patientId) as Promise<unknown> as Promise<{ upcoming: Appointment[]; past: Appointment[] }>);
export const callList = (d: string) => call(() => S.CallList(d) as Promise<unknown> as Promise<CallListEntry[]>);
export const printCallList = (d: string) => call(() => S.PrintCallList(d) as Promise<unknown> as Promise<Printout>);
export const printNurseDay = (nurse: string, d: string) =>
  call(() => S.PrintNurseDay(nurse, d) as Promise<unknown> as Promise<Printout>);
export const chooseFolder = () => call(() => S.ChooseFolder(), 15 * 60_000);
export const exportCallList = (d: string, folder: string) => call(() => S.ExportCallList(d, folder));
export const setRouteByDate = (nurse: string, days: number) =>
  call(() => Y.SetRouteByDate(nurse, days) as Promise<unknown> as Promise<SyncScope>);

/** YYYY-MM-DD of a local date. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The day n days after day (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return isoDay(new Date(y, m - 1, d + n));
}

/** Moves the item at i by `by` places; the list is unchanged when it would leave it. */
export function moved<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  const [x] = next.splice(i, 1);
  next.splice(j, 0, x);
  return next;
}
