import * as A from '../../wailsjs/go/app/Admin';
import type { chart } from '../../wailsjs/go/models';
import { call } from './errors';
import type { AuditEntry, AuditFilter, AuditVerification, Credentials, NewUser, Practice, PracticeContact, RegistryTargets, Role, User } from './types';

export const users = () => call(() => A.Users() as Promise<unknown> as Promise<User[] | null>).then((r) => r ?? []);

export const addUser = (u: NewUser) =>
  call(() => A.AddUser(u as unknown as chart.NewUser) as Promise<unknown> as Promise<User>);

export const setUserActive = (id: string, active: boolean) =>
  call(() => A.SetUserActive(id, active) as Promise<unknown> as Promise<User>);

/** Another user's role, from their next sign-in (administrators). */
export const setUserRole = (id: string, role: Role) => call(() => A.SetUserRole(id, role) as Promise<unknown> as Promise<User>);

/** A user's licence number and NPI: an administrator for anyone, everyone for themselves. */
export const setUserCredentials = (id: string, c: Credentials) =>
  call(() => A.SetUserCredentials(id, c as unknown as chart.Credentials) as Promise<unknown> as Promise<User>);

/** The signed-in user with their credentials as stored now. */
export const ownProfile = () => call(() => A.OwnProfile() as Promise<unknown> as Promise<User>);

export const setPracticeContact = (c: PracticeContact) =>
  call(() => A.SetPracticeContact(c as unknown as chart.PracticeContact) as Promise<unknown> as Promise<Practice>);

/** Admin.SetRegistryTargets: the registries' HbA1c interval and target, the blood-pressure target. */
export const setRegistryTargets = (r: RegistryTargets) =>
  call(() => A.SetRegistryTargets(r as unknown as chart.RegistryTargets) as Promise<unknown> as Promise<Practice>);

export const resetPassphrase = (id: string, newPassphrase: string) =>
  call(() => A.ResetPassphrase(id, newPassphrase));

export const setIdleLockMinutes = (minutes: number) =>
  call(() => A.SetIdleLockMinutes(minutes) as Promise<unknown> as Promise<Practice>);

export const audit = (f: AuditFilter) =>
  call(() => A.Audit(f as unknown as chart.AuditFilter) as Promise<unknown> as Promise<AuditEntry[] | null>).then(
    (r) => r ?? [],
  );

export const verifyAudit = () => call(() => A.VerifyAudit() as Promise<unknown> as Promise<AuditVerification>);

/** Which practice key new records are sealed under (docs/SECURITY.md). */
export interface KeyStatus {
  current: string;
  /** RFC 3339: when the current key was started; absent for the practice's first key. */
  since?: string;
  /** How many keys this workstation reads with. */
  epochs: number;
  /** Keys from a change made at the same time as the current one (folded in by the next). */
  concurrent: number;
}

export const keyStatus = () => call(() => A.KeyStatus() as Promise<unknown> as Promise<KeyStatus>);

export const rotatePracticeKey = (reason: string) =>
  call(() => A.RotatePracticeKey(reason.trim()) as Promise<unknown> as Promise<KeyStatus>);
