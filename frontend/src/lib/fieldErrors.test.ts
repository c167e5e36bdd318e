import { describe, expect, it } from 'vitest';
import { fieldId, formErrors } from './fieldErrors';
import { patientFields } from './patientFields';

describe('formErrors', () => {
  it('puts an error with a known field next to that field', () => {
    expect(formErrors({ code: 'invalid', message: 'Date of birth is required.', field: 'birthDate' }, patientFields)).toEqual({
      fields: { birthDate: 'Date of birth is required.' },
      form: null,
    });
  });
  it('handles dotted nested fields', () => {
    const got = formErrors({ code: 'invalid', message: 'Bad phone.', field: 'emergencyContact.phone' }, patientFields);
    expect(got.fields['emergencyContact.phone']).toBe('Bad phone.');
  });
  it('sends an unknown field to the form-level alert so nothing is lost', () => {
    expect(formErrors({ code: 'invalid', message: 'Odd.', field: 'allergies.0.name' }, patientFields)).toEqual({ fields: {}, form: 'Odd.' });
  });
  it('sends errors without a field to the form-level alert', () => {
    expect(formErrors({ code: 'locked', message: 'Outpost is locked.' }, patientFields)).toEqual({ fields: {}, form: 'Outpost is locked.' });
  });
});

describe('fieldId', () => {
  it('makes dotted paths safe for element ids', () => {
    expect(fieldId('address.city')).toBe('f-address-city');
    expect(fieldId('mrn', 'nu')).toBe('nu-mrn');
  });
});
