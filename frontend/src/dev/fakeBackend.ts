// Dev only (VITE_FAKE_BACKEND=1 npm run dev): an in-memory stand-in for the
// Go backend so screens can be worked on without the Wails shell. It mimics
// the error wire format; it is NOT the product's behaviour and is never
// bundled into production builds. End-to-end tests use the real binary.
import type { AuditEntry, Patient, PatientVersion, Practice, User } from '../api/types';

type Fn = (...args: never[]) => Promise<unknown>;

const fail = (code: string, message: string, field?: string) =>
  Promise.reject(new Error(JSON.stringify({ code, message, field })));

export function installFakeBackend(): void {
  const users: (User & { pass: string })[] = [];
  const patients = new Map<string, Patient[]>();
  const audit: AuditEntry[] = [];
  let practice: Practice | null = null;
  let current: User | null = null;
  const listeners = new Map<string, ((d: unknown) => void)[]>();
  const now = () => new Date().toISOString();
  const id = () => crypto.randomUUID();
  const log = (action: AuditEntry['action'], detail: string, patientId = '') =>
    audit.unshift({ seq: audit.length + 1, at: now(), userId: current?.id ?? '', username: current?.username ?? '', action, patientId, detail, deviceId: 'dev', hash: 'x' });
  const need = () => (current ? null : fail('locked', 'Outpost is locked. Sign in to continue.'));
  const latest = (pid: string) => patients.get(pid)?.at(-1);
  const validate = (p: Patient) => {
    if (!p.familyName.trim()) return fail('invalid', 'Family name is required.', 'familyName');
    if (!p.givenName.trim()) return fail('invalid', 'Given name is required.', 'givenName');
    const d = new Date(`${p.birthDate}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== p.birthDate)
      return fail('invalid', 'Date of birth must be a real date, written YYYY-MM-DD.', 'birthDate');
    return null;
  };
  const summary = (p: Patient) => ({ id: p.id, mrn: p.mrn, givenName: p.givenName, familyName: p.familyName, preferredName: p.preferredName, birthDate: p.birthDate, sex: p.sex, phone: p.phone });

  const Session: Record<string, Fn> = {
    Status: async () => ({ hasPractice: !!practice, practiceName: practice?.name ?? '', deviceId: 'dev', signedIn: current }),
    CreatePractice: async (np: { practiceName: string; admin: User & { passphrase: string } }) => {
      if (!np.practiceName.trim()) return fail('invalid', 'Practice name is required.', 'practiceName');
      if (np.admin.passphrase.length < 10) return fail('invalid', 'The passphrase must be at least 10 characters.', 'passphrase');
      practice = { id: id(), name: np.practiceName, idleLockMinutes: 10, createdAt: now() };
      current = { id: id(), username: np.admin.username, fullName: np.admin.fullName, role: 'administrator', active: true, createdAt: now(), updatedAt: now() };
      users.push({ ...current, pass: np.admin.passphrase });
      return { user: current, practice, recoveryKey: 'AGE-SECRET-KEY-1DEVFAKEKEY0000000000000000000000000000000000000000000000' };
    },
    SignIn: async (u: string, p: string) => {
      const found = users.find((x) => x.username === u.trim().toLowerCase());
      if (!found || found.pass !== p) return fail('unauthorized', 'That username and passphrase do not match.');
      if (!found.active) return fail('forbidden', 'This account has been deactivated. Ask your administrator.');
      current = found;
      log('sign-in', 'signed in');
      return { user: current, practice };
    },
    Lock: async () => {
      current = null;
    },
    Activity: async () => need(),
    Current: async () => (current ? { user: current, practice } : null),
    RecoverPassphrase: async () => undefined,
    ChangePassphrase: async () => undefined,
  };
  const Patients: Record<string, Fn> = {
    Search: async (q: string) => {
      const n = need();
      if (n) return n;
      const ql = q.toLowerCase();
      return [...patients.values()].map((v) => v.at(-1)!).filter((p) => `${p.familyName} ${p.givenName} ${p.mrn} ${p.phone} ${p.birthDate}`.toLowerCase().includes(ql)).map(summary);
    },
    Find: async (q: string) => {
      const hits = await (Patients.Search as (q: string) => Promise<unknown>)(q);
      return Array.isArray(hits) ? { patients: hits.slice(0, 50), total: hits.length, unsearchable: false } : hits;
    },
    DateOrder: async () => need() ?? 'dmy',
    Register: async (p: Patient) => {
      const bad = need() ?? validate(p);
      if (bad) return bad;
      const saved = { ...structuredClone(p), id: id(), version: 1, createdAt: now(), updatedAt: now(), updatedBy: current!.id };
      patients.set(saved.id, [saved]);
      log('create', 'registered patient', saved.id);
      return saved;
    },
    Update: async (p: Patient) => {
      const bad = need() ?? validate(p);
      if (bad) return bad;
      const last = latest(p.id);
      if (!last) return fail('not_found', 'No such patient.');
      if (last.version !== p.version) return fail('conflict', 'Someone else changed this patient.');
      const saved = { ...structuredClone(p), version: last.version + 1, updatedAt: now(), updatedBy: current!.id };
      patients.get(p.id)!.push(saved);
      return saved;
    },
    Open: async (pid: string) => need() ?? latest(pid) ?? fail('not_found', 'No such patient.'),
    History: async (pid: string): Promise<PatientVersion[]> =>
      (patients.get(pid) ?? []).map((p) => ({ patient: p, changeId: `${pid}-${p.version}`, version: p.version, concurrent: false, deviceName: '', changedAt: p.updatedAt, changedBy: p.updatedBy, changedByName: users.find((u) => u.id === p.updatedBy)?.fullName ?? '' })).reverse(),
    Duplicates: async (p: Patient) => {
      const bad = validate(p);
      if (bad) return bad;
      return [...patients.values()].map((v) => v.at(-1)!).filter((x) => x.familyName.toLowerCase() === p.familyName.toLowerCase() && x.birthDate === p.birthDate).map((x) => ({ patient: summary(x), reason: 'same name and date of birth' }));
    },
    SuggestMRN: async () => String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
  };
  const Admin: Record<string, Fn> = {
    Users: async () => users.map(({ pass: _p, ...u }) => u),
    AddUser: async (u: User & { passphrase: string }) => {
      if (!u.fullName.trim()) return fail('invalid', 'Full name is required.', 'fullName');
      const nu = { id: id(), username: u.username.toLowerCase(), fullName: u.fullName, role: u.role, active: true, createdAt: now(), updatedAt: now(), pass: u.passphrase };
      users.push(nu);
      return nu;
    },
    SetUserActive: async (uid: string, active: boolean) => {
      const u = users.find((x) => x.id === uid)!;
      u.active = active;
      return u;
    },
    ResetPassphrase: async (uid: string, pass: string) => {
      users.find((x) => x.id === uid)!.pass = pass;
    },
    SetIdleLockMinutes: async (m: number) => {
      if (m < 1 || m > 240) return fail('invalid', 'The idle lock must be between 1 and 240 minutes.', 'idleLockMinutes');
      practice!.idleLockMinutes = m;
      return practice;
    },
    Audit: async () => audit,
    VerifyAudit: async () => ({
      ok: true, entries: audit.length, firstBadSeq: 0, problem: '', breaks: [], keyed: audit.length, sealedLate: 0,
      pending: 0, workstations: 0, remoteEntries: 0, server: { state: 'not connected', seq: 0, message: '' },
      checked: [`This workstation's log: ${audit.length} entries, hash chain and keyed chain intact.`],
    }),
  };

  const w = window as unknown as Record<string, unknown>;
  w.go = { app: { Session, Patients, Admin } };
  w.runtime = {
    EventsOnMultiple: (name: string, cb: (d: unknown) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), cb]);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== cb));
    },
  };
  // Lets a developer try the backend idle lock from the console.
  w.__fakeIdleLock = () => {
    current = null;
    for (const cb of listeners.get('session:locked') ?? []) cb({ reason: 'idle' });
  };
}
