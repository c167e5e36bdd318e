import { describe, expect, it } from 'vitest';
import { blankPatient, type Patient, type PatientVersion } from '../api/types';
import { diffPatients, historyChanges, readable, recordFields } from './diff';

function patient(overrides: Partial<Patient> = {}): Patient {
  return { ...blankPatient(), id: 'p1', familyName: 'Okafor', givenName: 'Ada', birthDate: '1980-03-12', sex: 'female', ...overrides };
}

function version(n: number, p: Patient, by = 'Dr Lee', extra: Partial<PatientVersion> = {}): PatientVersion {
  return {
    patient: { ...p, version: n },
    changeId: `c${n}`,
    version: n,
    concurrent: false,
    deviceName: '',
    changedAt: `2026-11-0${n}T10:00:00Z`,
    changedBy: 'u1',
    changedByName: by,
    ...extra,
  };
}

describe('diffPatients', () => {
  it('lists each changed field with its label, old and new value', () => {
    const a = patient();
    const b = patient({ phone: '555 0101', address: { ...a.address, city: 'Riverton' } });
    expect(diffPatients(a, b)).toEqual([
      { field: 'phone', label: 'Phone', from: '', to: '555 0101' },
      { field: 'address.city', label: 'City or town', from: '', to: 'Riverton' },
    ]);
  });
  it('ignores bookkeeping fields such as version and timestamps', () => {
    const a = patient({ version: 1, updatedAt: '2026-01-01T00:00:00Z' });
    const b = patient({ version: 2, updatedAt: '2026-02-01T00:00:00Z' });
    expect(diffPatients(a, b)).toEqual([]);
  });
  it('treats every filled field as new when there is no older version', () => {
    const fields = diffPatients(null, patient()).map((c) => c.field);
    expect(fields).toEqual(['givenName', 'familyName', 'birthDate', 'sex']);
  });
});

describe('historyChanges', () => {
  it('pairs each version with the one before it, newest first', () => {
    const v1 = version(1, patient());
    const v2 = version(2, patient({ preferredName: 'Addie' }));
    const v3 = version(3, patient({ preferredName: 'Addie', emergencyContact: { name: 'Tom', relationship: 'brother', phone: '' } }), 'Nurse Kim');
    const got = historyChanges([v3, v2, v1]);
    expect(got.map((g) => g.version.version)).toEqual([3, 2, 1]);
    expect(got[0].changes.map((c) => c.field)).toEqual(['emergencyContact.name', 'emergencyContact.relationship']);
    expect(got[1].changes).toEqual([{ field: 'preferredName', label: 'Preferred name', from: '', to: 'Addie' }]);
    expect(got[2].created).toBe(true);
    expect(got[0].created).toBe(false);
  });
  it('does not depend on the order it is given', () => {
    const v1 = version(1, patient());
    const v2 = version(2, patient({ familyName: 'Okafor-Lee' }));
    expect(historyChanges([v1, v2])[0].changes).toEqual([{ field: 'familyName', label: 'Family name', from: 'Okafor', to: 'Okafor-Lee' }]);
  });
  it('shows versions edited at the same time each as a change of the version before, not of each other', () => {
    const v1 = version(1, patient({ phone: '555 0101' }));
    const here = version(2, patient({ phone: '555 1111' }), 'Dana Admin', { changeId: 'here', concurrent: true, changedAt: '2026-11-02T10:00:00Z' });
    const there = version(2, patient({ phone: '555 2222' }), 'Dana Admin', {
      changeId: 'there',
      concurrent: true,
      deviceName: '"Home visit laptop"',
      changedAt: '2026-11-02T10:05:00Z',
    });
    const merged = version(3, patient({ phone: '555 2222' }), 'Dana Admin', { changedAt: '2026-11-03T09:00:00Z' });
    for (const given of [[merged, there, here, v1], [v1, here, merged, there]]) {
      const got = historyChanges(given);
      expect(got.map((g) => g.version.changeId)).toEqual(['c3', 'there', 'here', 'c1']);
      const phone = (i: number) => got[i].changes.map((c) => `${c.from} → ${c.to}`);
      expect(phone(1)).toEqual(['555 0101 → 555 2222']);
      expect(phone(2)).toEqual(['555 0101 → 555 1111']);
      // The resolution is shown against the newer of the two it settled.
      expect(got[0].changes).toEqual([]);
      expect(got.map((g) => g.created)).toEqual([false, false, false, true]);
    }
  });
});

describe('recordFields (clinical record history)', () => {
  it('shows coded values, lists and nested objects as text, never JSON', () => {
    const allergy = {
      id: 'a1',
      version: 2,
      substance: { system: '', code: '', display: 'sulfa drugs' },
      reaction: 'rash',
      severity: '',
      enteredInError: null,
    };
    expect(recordFields(JSON.stringify(allergy))).toEqual([
      ['Substance', 'sulfa drugs'],
      ['Reaction', 'rash'],
    ]);
    const problem = { condition: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10', display: 'Essential hypertension' } };
    expect(recordFields(JSON.stringify(problem))).toEqual([['Condition', 'Essential hypertension (ICD-10-CM I10)']]);
    const note = {
      sections: [
        { key: 'subjective', label: 'Subjective', text: 'Sore throat.' },
        { key: 'plan', label: 'Plan', text: '' },
      ],
      signature: { signerName: 'Dr Lee', signedAt: '2026-11-23T10:00:00Z' },
      diagnoses: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J02.9', display: 'Acute pharyngitis' }, { display: 'fever' }],
      signs: { heartRate: 72, spo2: 97 },
      locked: true,
    };
    const shown = recordFields(JSON.stringify(note));
    expect(shown).toEqual([
      ['Sections', 'Subjective: Sore throat.'],
      ['Signature', 'Signer name: Dr Lee, Signed at: 2026-11-23T10:00:00Z'],
      ['Diagnoses', 'Acute pharyngitis (ICD-10-CM J02.9)\nfever'],
      ['Signs', 'Heart rate: 72, Spo2: 97'],
      ['Locked', 'Yes'],
    ]);
    for (const [, text] of shown) expect(text).not.toMatch(/[{}[\]"]/);
  });

  it('keeps content that is not JSON as it is', () => {
    expect(recordFields('plain')).toEqual([['Content', 'plain']]);
    expect(readable(null)).toBe('');
  });
});
