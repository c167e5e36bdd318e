import { describe, expect, it } from 'vitest';
import type { Allergy } from '../api/chart';
import { allergyChip, allergyStatusLabel, effectiveAllergyStatus, substanceKind } from './allergy';

const pen = { substance: { system: '', code: '', display: 'Penicillin' }, reaction: 'hives', severity: 'severe', verification: 'confirmed' } as Allergy;

describe('allergy status', () => {
  it('keeps "none known" and "not asked" distinct', () => {
    expect(allergyStatusLabel('none-known', 0)).toBe('No known allergies');
    expect(allergyStatusLabel('not-asked', 0)).toBe('Allergies not yet asked');
    expect(allergyStatusLabel('listed', 1)).toBe('1 allergy');
    expect(allergyStatusLabel('listed', 3)).toBe('3 allergies');
  });

  it('lets a listed allergy override a stale NKA flag, and ignores retracted ones', () => {
    expect(effectiveAllergyStatus('none-known', [pen])).toBe('listed');
    expect(effectiveAllergyStatus('listed', [{ ...pen, verification: 'refuted' }])).toBe('not-asked');
    expect(effectiveAllergyStatus('none-known', [{ ...pen, enteredInError: { at: '', by: '', byName: '', reason: 'x' } }])).toBe('none-known');
  });

  it('labels a chip with reaction and severity', () => {
    expect(allergyChip(pen)).toBe('Penicillin (hives, severe)');
    expect(allergyChip({ ...pen, reaction: '', severity: '' })).toBe('Penicillin');
  });
});

describe('what an allergy is recorded to', () => {
  it('says class, allergen, RxNorm substance or uncoded text', () => {
    expect(substanceKind({ system: 'urn:outpost:allergy-class', code: 'penicillins', display: 'Penicillins' })).toBe('drug class');
    expect(substanceKind({ system: 'urn:outpost:allergen', code: 'peanut', display: 'Peanut' })).toBe('allergen');
    expect(substanceKind({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'penicillin G' })).toBe('RxNorm');
    expect(substanceKind({ system: '', code: '', display: 'sulfa drugs' })).toBe('uncoded');
  });
});
