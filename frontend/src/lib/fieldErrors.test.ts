import { describe, expect, it } from 'vitest';
import { errorList, fieldId, formErrors } from './fieldErrors';
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

describe('formErrors with several problems', () => {
  const screen = ['familyName', 'givenName', 'birthDate', 'phone', 'address.city'];
  it('places every problem, in screen order whatever order they came in', () => {
    const got = formErrors(
      {
        code: 'invalid',
        message: 'Phone is odd.',
        field: 'phone',
        fields: [
          { field: 'phone', message: 'Phone is odd.' },
          { field: 'address.city', message: 'City on one line.' },
          { field: 'familyName', message: 'Family name is required.' },
          { field: 'birthDate', message: 'No day 31.' },
        ],
      },
      screen,
    );
    expect(Object.keys(got.fields)).toEqual(['familyName', 'birthDate', 'phone', 'address.city']);
    expect(got.form).toBeNull();
    expect(errorList(got.fields, screen).map((e) => e.message)).toEqual([
      'Family name is required.',
      'No day 31.',
      'Phone is odd.',
      'City on one line.',
    ]);
  });
  it('keeps the problems of fields the form does not show in the form alert', () => {
    const got = formErrors(
      { code: 'invalid', message: 'a', fields: [{ field: 'status', message: 'Choose a status.' }, { field: 'phone', message: 'Bad phone.' }, { field: '', message: 'Whole form.' }] },
      screen,
    );
    expect(got).toEqual({ fields: { phone: 'Bad phone.' }, form: 'Choose a status. Whole form.' });
  });
});
