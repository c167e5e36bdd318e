import { describe, expect, it } from 'vitest';
import { asksForGuardian, birthDateHint, birthDateToSend, patientFormOrder } from './patientForm';
import { patientFields } from './patientFields';

describe('the patient form', () => {
  it('orders every patient field, each once', () => {
    expect([...patientFormOrder].sort()).toEqual([...patientFields].sort());
  });
  it('says how it understood a typed date of birth, in the practice order', () => {
    expect(birthDateHint('12 Mar 1980', 'dmy')).toBe('Understood as 12 March 1980');
    expect(birthDateHint('03/12/1980', 'mdy')).toBe('Understood as 12 March 1980');
    expect(birthDateHint('03/12/1980', 'dmy')).toBe('Understood as 3 December 1980');
    expect(birthDateHint('31/02/1980', 'dmy')).toBe('Date of birth: February 1980 has no day 31.');
    expect(birthDateHint('', 'mdy')).toBe('e.g. 12 Mar 1980, 03/12/1980 or 1980-03-12');
  });
  it('sends what it understood, or what was typed for the backend to explain', () => {
    expect(birthDateToSend('12 Mar 1980', 'dmy')).toBe('1980-03-12');
    expect(birthDateToSend('1980-3-12', '')).toBe('1980-03-12');
    expect(birthDateToSend('soon', 'dmy')).toBe('soon');
  });
});

describe('the guardian prompt', () => {
  const now = new Date(2026, 10, 23); // 23 November 2026
  const g = { name: '', relationship: '', phone: '' };
  it('asks until the 18th birthday, not on it', () => {
    expect(asksForGuardian({ birthDate: '2008-11-24', guardian: g }, '', now)).toBe(true);
    expect(asksForGuardian({ birthDate: '2008-11-23', guardian: g }, '', now)).toBe(false);
  });
  it('reads a typed date of birth, and stops asking once a guardian is named or the patient died', () => {
    expect(asksForGuardian({ birthDate: '03/12/2020', guardian: g }, 'mdy', now)).toBe(true);
    expect(asksForGuardian({ birthDate: '2020-03-12', guardian: { ...g, name: 'Bo' } }, '', now)).toBe(false);
    expect(asksForGuardian({ birthDate: '2020-03-12', deceased: true, guardian: g }, '', now)).toBe(false);
    expect(asksForGuardian({ birthDate: 'soon', guardian: g }, '', now)).toBe(false);
  });
});
