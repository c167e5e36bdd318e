import { describe, expect, it } from 'vitest';
import { blankReferral, toWire } from './referral';

describe('referral toWire', () => {
  it('sends the form and the patient, never a referrer, an id or a time', () => {
    const w = toWire('p-1', { ...blankReferral(), recipientName: 'Dr Mensah', reason: 'Chest pain' }) as unknown as Record<string, unknown>;
    expect(w).toEqual({
      patientId: 'p-1',
      recipientName: 'Dr Mensah',
      recipientOrganization: '',
      recipientContact: '',
      reason: 'Chest pain',
      question: '',
    });
    expect(w).not.toHaveProperty('referrer');
    expect(w).not.toHaveProperty('at');
  });
});
