// The signed-in user's inbox and tasks (app.Worklist).
import * as W from '../../wailsjs/go/app/Worklist';
import type { chart } from '../../wailsjs/go/models';
import { notifyChanged } from './changed';
import { call } from './errors';
import type { PatientSummary, Role } from './types';

export interface Task {
  id: string;
  version: number;
  text: string;
  patientId?: string;
  assignedTo: string;
  due?: string;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
  doneAt?: string | null;
  doneBy?: string;
}

export interface TaskItem {
  task: Task;
  patientName?: string;
  patientMrn?: string;
  assignedToName: string;
  createdByName: string;
  overdue: boolean;
}

export interface InboxCounts {
  results: number;
  notes: number;
  conflicts: number;
  held: number;
  recalls: number;
  tasks: number;
  overdue: number;
}

export interface NoteToSign {
  noteId: string;
  encounterId: string;
  title: string;
  patient: PatientSummary;
  updatedAt: string;
}

export interface Inbox {
  counts: InboxCounts;
  notes: NoteToSign[];
  tasks: TaskItem[];
}

export interface Colleague {
  id: string;
  name: string;
  role: Role;
}

/** Everything waiting: the number on the top bar. */
export const total = (c: InboxCounts) => c.results + c.notes + c.conflicts + c.held + c.recalls + c.tasks;

export const counts = () => call(() => W.Counts() as Promise<unknown> as Promise<InboxCounts>);
export const inbox = () => call(() => W.Inbox() as Promise<unknown> as Promise<Inbox>);
export const sentTasks = () => call(() => W.SentTasks() as Promise<unknown>).then((r) => (r as TaskItem[] | null) ?? []);
export const colleagues = () => call(() => W.Colleagues() as Promise<unknown>).then((r) => (r as Colleague[] | null) ?? []);

/** A new task: only what its author typed travels (Go cannot parse empty times). */
export const newTask = (text: string, assignedTo: string, patientId: string, due: string) =>
  call(() => W.SaveTask({ id: '', version: 0, text, assignedTo, patientId, due } as unknown as chart.Task) as Promise<unknown> as Promise<Task>).then(
    (t) => (notifyChanged(), t),
  );

export const markTask = (id: string, version: number, done: boolean) =>
  call(() => W.MarkTask({ id, version, done } as chart.TaskDone) as Promise<unknown> as Promise<Task>).then((t) => (notifyChanged(), t));
