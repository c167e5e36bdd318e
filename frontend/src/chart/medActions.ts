// The medication list's motions that are not layout: the stop reasons a
// clinician picks from, a renewal's starting details, days' supply and
// when a prescription runs out, and the reconciliation sent to the backend.
import type { Medication, MedicationReview, ReviewDecision } from '../api/chart';
import { when } from './forms';

/** Common reasons to stop a medication; "Other" takes the detail alone. */
export const stopReasons = [
  'Side effect',
  'Not effective',
  'No longer needed',
  'Patient preference',
  'Replaced by another medication',
  'Cost or availability',
  'Other',
] as const;

/** "Side effect: dry cough"; the detail alone for Other; the reason alone without detail. */
export function stopReasonText(reason: string, detail: string): string {
  const d = detail.trim();
  if (!reason || reason === 'Other') return d;
  return d ? `${reason}: ${d}` : reason;
}

/** Reads the days' supply input: empty is 0 (not given). */
export function daysSupplyFrom(raw: unknown): { value: number } | { error: string } {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  if (text === '') return { value: 0 };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 365) return { error: "Days' supply is a whole number of days, 1 to 365." };
  return { value: n };
}

/**
 * The last day the prescription lasts, with every refill taken on time:
 * start + days' supply × (refills + 1) − 1 ("YYYY-MM-DD"), or '' when the
 * start or the supply is not known.
 */
export function suppliedUntil(m: Pick<Medication, 'startDate' | 'daysSupply' | 'refills'>): string {
  const days = m.daysSupply ?? 0;
  const start = /^(\d{4})-(\d{2})-(\d{2})$/.exec(m.startDate ?? '');
  if (!start || days <= 0) return '';
  const d = new Date(Date.UTC(+start[1], +start[2] - 1, +start[3]));
  d.setUTCDate(d.getUTCDate() + days * ((m.refills ?? 0) + 1) - 1);
  return d.toISOString().slice(0, 10);
}

/** The details a renewal form starts from: the same prescription, starting today. */
export function renewalDraft(m: Medication, today: string): Medication {
  return {
    ...m,
    id: '',
    version: 0,
    createdAt: '',
    createdBy: '',
    updatedAt: '',
    updatedBy: '',
    startDate: today,
    stopDate: '',
    stopReason: '',
    status: 'active',
    source: 'prescribed',
    override: null,
    renewalOf: m.id,
    renewedBy: '',
    reconciledAt: null,
    reconciledBy: '',
    reconciledByName: '',
  };
}

/** "Reviewed with patient 23 Nov 2026 09:30 by Dr Sam Rivera", or '' if never. */
export function reviewedLabel(m: Medication): string {
  if (!m.reconciledAt) return '';
  return `Reviewed with patient ${when(m.reconciledAt)}${m.reconciledByName ? ` by ${m.reconciledByName}` : ''}`;
}

/** One row of the reconciliation step as the form holds it. */
export interface ReviewRow {
  med: Medication;
  decision: ReviewDecision | '';
  stopReason: string;
  stopDetail: string;
  dose: string;
  unit: string;
  frequency: string;
  instructions: string;
}

export const reviewRow = (med: Medication): ReviewRow => ({
  med,
  decision: '',
  stopReason: '',
  stopDetail: '',
  dose: med.dose,
  unit: med.unit,
  frequency: med.frequency,
  instructions: med.instructions,
});

/**
 * The reviews to send: one per row with a decision. Rows without a
 * decision are not sent (they stay unreviewed); the missing list names
 * them so the form can ask.
 */
export function reviewsOf(rows: readonly ReviewRow[]): { reviews: MedicationReview[]; undecided: string[] } {
  const reviews: MedicationReview[] = [];
  const undecided: string[] = [];
  for (const r of rows) {
    if (!r.decision) {
      undecided.push(r.med.drug.display);
      continue;
    }
    const review: MedicationReview = { id: r.med.id, version: r.med.version, decision: r.decision, stopReason: '' };
    if (r.decision === 'stop') review.stopReason = stopReasonText(r.stopReason, r.stopDetail);
    if (r.decision === 'changed') {
      review.change = { dose: r.dose.trim(), unit: r.unit.trim(), frequency: r.frequency.trim(), instructions: r.instructions.trim() };
    }
    reviews.push(review);
  }
  return { reviews, undecided };
}
