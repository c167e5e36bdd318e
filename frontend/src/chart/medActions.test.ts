import { describe, expect, it } from 'vitest';
import type { Medication } from '../api/chart';
import { daysSupplyFrom, renewalDraft, reviewRow, reviewsOf, stopReasonText, suppliedUntil } from './medActions';

const med = (over: Partial<Medication> = {}) =>
  ({
    id: 'm1', version: 3, patientId: 'p', drug: { system: '', code: '', display: 'Lisinopril 10 MG' }, dose: '10', unit: 'mg',
    route: 'oral', frequency: 'daily', instructions: '', quantity: '30', refills: 2, startDate: '2026-01-01', stopDate: '',
    status: 'active', stopReason: '', source: 'reported', prescriberId: '', prescriberName: '', reconciledAt: '2026-02-01T10:00:00Z',
    ...over,
  }) as Medication;

describe('medication motions', () => {
  it('writes the stop reason from the choice and the detail', () => {
    expect(stopReasonText('Side effect', ' dry cough ')).toBe('Side effect: dry cough');
    expect(stopReasonText('No longer needed', '')).toBe('No longer needed');
    expect(stopReasonText('Other', 'moved away')).toBe('moved away');
    expect(stopReasonText('', '')).toBe('');
  });

  it("reads the days' supply and when the supply runs out", () => {
    expect(daysSupplyFrom('')).toEqual({ value: 0 });
    expect(daysSupplyFrom(90)).toEqual({ value: 90 });
    expect('error' in daysSupplyFrom('2.5')).toBe(true);
    expect('error' in daysSupplyFrom('400')).toBe(true);
    expect(suppliedUntil({ startDate: '2026-01-01', daysSupply: 30, refills: 2 })).toBe('2026-03-31');
    expect(suppliedUntil({ startDate: '2026-01-01', daysSupply: 0, refills: 2 })).toBe('');
  });

  it('starts a renewal as a new prescription of the same drug today', () => {
    const r = renewalDraft(med(), '2026-11-23');
    expect(r).toMatchObject({ id: '', version: 0, startDate: '2026-11-23', source: 'prescribed', renewalOf: 'm1', reconciledAt: null });
    expect(r.drug).toEqual(med().drug);
  });

  it('sends a review for each decided row, with the reason or the change', () => {
    const rows = [reviewRow(med()), reviewRow(med({ id: 'm2' })), reviewRow(med({ id: 'm3' })), reviewRow(med({ id: 'm4' }))];
    rows[0].decision = 'keep';
    rows[1].decision = 'stop';
    rows[1].stopReason = 'Side effect';
    rows[1].stopDetail = 'rash';
    rows[2].decision = 'changed';
    rows[2].frequency = ' at night ';
    const { reviews, undecided } = reviewsOf(rows);
    expect(reviews).toEqual([
      { id: 'm1', version: 3, decision: 'keep', stopReason: '' },
      { id: 'm2', version: 3, decision: 'stop', stopReason: 'Side effect: rash' },
      { id: 'm3', version: 3, decision: 'changed', stopReason: '', change: { dose: '10', unit: 'mg', frequency: 'at night', instructions: '' } },
    ]);
    expect(undecided).toEqual(['Lisinopril 10 MG']);
  });
});
