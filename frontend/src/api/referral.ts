// Referrals: the letter and the patient summary (IPS) the backend writes
// side by side into the folder the clinician chose, audited as a disclosure.
import * as P from '../../wailsjs/go/app/Print';
import type { chart } from '../../wailsjs/go/models';
import { call } from './errors';

/** What "Refer…" asks for; the backend adds the referrer, the id and the time. */
export interface ReferralForm {
  recipientName: string;
  recipientOrganization: string;
  recipientContact: string;
  reason: string;
  question: string;
}

/** The form's fields in screen order, for placing the backend's field errors. */
export const referralFields = ['recipientName', 'recipientOrganization', 'recipientContact', 'reason', 'question', 'folder'] as const;

export interface ReferralSaved {
  folder: string;
  pdfPath: string;
  ipsPath: string;
  recipient: string;
}

export const blankReferral = (): ReferralForm => ({
  recipientName: '',
  recipientOrganization: '',
  recipientContact: '',
  reason: '',
  question: '',
});

/**
 * toWire sends only what the form asks: never a referrer (the backend takes
 * it from the signed-in profile) nor an empty time Go cannot parse.
 */
export function toWire(patientId: string, f: ReferralForm): chart.Referral {
  return {
    patientId,
    recipientName: f.recipientName,
    recipientOrganization: f.recipientOrganization,
    recipientContact: f.recipientContact,
    reason: f.reason,
    question: f.question,
  } as unknown as chart.Referral;
}

// Writing to a slow USB stick, and a folder dialog the clinician may leave
// open, must not give up at the default timeout.
const slowMs = 10 * 60_000;

export const refer = (patientId: string, f: ReferralForm, folder: string) =>
  call(() => P.Refer(toWire(patientId, f), folder.trim()) as Promise<ReferralSaved>, slowMs);
export const chooseFolder = () => call(() => P.ChooseReferralFolder(), slowMs);
