import type { Patient } from '../api/types';

/** Every editable patient field by its dotted path, with the label people see. */
export const patientFieldLabels: Record<string, string> = {
  mrn: 'MRN',
  givenName: 'Given name',
  familyName: 'Family name',
  preferredName: 'Preferred name',
  birthDate: 'Date of birth',
  sex: 'Sex',
  genderIdentity: 'Gender identity',
  phone: 'Phone',
  'address.line1': 'Address line 1',
  'address.line2': 'Address line 2',
  'address.city': 'City or town',
  'address.region': 'State or region',
  'address.postalCode': 'Postal code',
  'address.country': 'Country',
  'address.directions': 'Directions for home visits',
  'emergencyContact.name': 'Emergency contact name',
  'emergencyContact.relationship': 'Emergency contact relationship',
  'emergencyContact.phone': 'Emergency contact phone',
  preferredLanguage: 'Preferred language',
  email: 'Email',
  'insurance.payer': 'Insurer',
  'insurance.memberId': 'Member id',
  'insurance.group': 'Group number',
  'guardian.name': 'Guardian name',
  'guardian.relationship': 'Guardian relationship',
  'guardian.phone': 'Guardian phone',
  inactive: 'Inactive',
  deceased: 'Deceased',
  deceasedDate: 'Date of death',
};

export const patientFields = Object.keys(patientFieldLabels);

/** Reads a dotted path ("address.city") from a patient. */
export function fieldValue(p: Patient, path: string): string {
  let v: unknown = p;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return '';
    v = (v as Record<string, unknown>)[part];
  }
  if (typeof v === 'boolean') return v ? 'Yes' : ''; // an unticked box reads as empty, like an empty field
  return v === undefined || v === null ? '' : String(v);
}
