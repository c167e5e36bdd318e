import * as S from '../../wailsjs/go/app/Session';
import type { chart } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './errors';
import type { NewPractice, PracticeCreated, SignedIn, WorkstationStatus } from './types';

export const status = () => call(() => S.Status() as Promise<unknown> as Promise<WorkstationStatus>);

export const createPractice = (p: NewPractice) =>
  call(() => S.CreatePractice(p as unknown as chart.NewPractice) as Promise<unknown> as Promise<PracticeCreated>);

export const signIn = (username: string, passphrase: string) =>
  call(() => S.SignIn(username, passphrase) as Promise<unknown> as Promise<SignedIn>);

/** One signin:first event: progress, or (finished) the outcome. */
interface FirstSignInEvent {
  done: number;
  total: number;
  finished: boolean;
  signedIn?: SignedIn;
  /** The error as every rejected call carries it (decodeError reads it). */
  error?: unknown;
}

/**
 * The first sign-in on a workstation that joined a practice opens and
 * merges everything the join fetched, which at a large practice takes
 * longer than any call may wait. It runs in the backend off the call:
 * progress comes as signin:first events, and the promise settles with the
 * last one.
 */
export function firstSignIn(
  username: string,
  passphrase: string,
  onProgress: (done: number, total: number) => void,
): Promise<SignedIn> {
  return new Promise((resolve, reject) => {
    const off = EventsOn('signin:first', (data: unknown) => {
      const e = data as FirstSignInEvent;
      if (!e || typeof e !== 'object') return;
      if (!e.finished) {
        onProgress(e.done, e.total);
        return;
      }
      off();
      if (e.signedIn) resolve(e.signedIn);
      else reject(e.error);
    });
    call(() => S.BeginFirstSignIn(username, passphrase)).catch((err) => {
      off();
      reject(err);
    });
  });
}

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
