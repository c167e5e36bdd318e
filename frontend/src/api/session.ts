import * as S from '../../wailsjs/go/app/Session';
import type { chart } from '../../wailsjs/go/models';
import { call } from './errors';
import type { NewPractice, PracticeCreated, SignedIn, WorkstationStatus } from './types';

export const status = () => call(() => S.Status() as Promise<unknown> as Promise<WorkstationStatus>);

export const createPractice = (p: NewPractice) =>
  call(() => S.CreatePractice(p as unknown as chart.NewPractice) as Promise<unknown> as Promise<PracticeCreated>);

export const signIn = (username: string, passphrase: string) =>
  call(() => S.SignIn(username, passphrase) as Promise<unknown> as Promise<SignedIn>);

export const lock = () => call(() => S.Lock());

export const current = () => call(() => S.Current() as Promise<unknown> as Promise<SignedIn | null>);

export const recoverPassphrase = (recoveryKey: string, username: string, newPassphrase: string) =>
  call(() => S.RecoverPassphrase(recoveryKey, username, newPassphrase));

export const changePassphrase = (oldPassphrase: string, newPassphrase: string) =>
  call(() => S.ChangePassphrase(oldPassphrase, newPassphrase));

const activityEveryMs = 20_000;
let lastActivity = 0;

/** Tells the backend someone is at the keyboard, at most every 20 s. */
export function activity(now = Date.now()): void {
  if (now - lastActivity < activityEveryMs) return;
  lastActivity = now;
  S.Activity().catch(() => {
    // A locked backend refuses; the session:locked event handles that.
  });
}
