// Who is signed in, to which practice. Staff data only, no patient data.
import type { Practice, User } from '../api/types';

export type Phase =
  | 'starting'
  | 'unavailable'
  | 'create-practice'
  | 'join-practice'
  | 'restore-backup'
  | 'recovery-key'
  | 'sign-in'
  | 'recover'
  | 'signed-in';

export interface AuthState {
  phase: Phase;
  practiceName: string;
  /** This workstation joined a practice and nobody has signed in yet. */
  firstSignIn: boolean;
  user: User | null;
  practice: Practice | null;
  /** Shown once, right after the practice is created; wiped on Continue. */
  recoveryKey: string;
  /** Prefills the sign-in form after a lock. */
  lastUsername: string;
  /** Why the sign-in screen is showing (e.g. "Locked after 10 minutes idle"). */
  notice: string;
  startupError: string;
}

export const auth: AuthState = $state({
  phase: 'starting',
  practiceName: '',
  firstSignIn: false,
  user: null,
  practice: null,
  recoveryKey: '',
  lastUsername: '',
  notice: '',
  startupError: '',
});

export const isAdmin = () => auth.user?.role === 'administrator';
/** Clinicians and nurses review results (the backend enforces it). */
/** Billing: clinicians write superbills, administrators keep the fee schedule; both see a day's totals. */
export const canSeeBilling = () => auth.user?.role === 'clinician' || auth.user?.role === 'administrator';
export const canReview = () => auth.user?.role === 'clinician' || auth.user?.role === 'nurse';
