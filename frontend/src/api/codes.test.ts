import { describe, expect, it } from 'vitest';
import { ingredientLine, systemName } from './codes';

describe('code labels', () => {
  it('names each code system, Outpost’s own included', () => {
    expect(systemName('http://www.nlm.nih.gov/research/umls/rxnorm')).toBe('RxNorm');
    expect(systemName('http://hl7.org/fhir/sid/icd-10-cm')).toBe('ICD-10-CM');
    expect(systemName('http://loinc.org')).toBe('LOINC');
    expect(systemName('urn:outpost:allergy-class')).toBe('drug class');
    expect(systemName('urn:outpost:allergen')).toBe('allergen');
    expect(systemName('')).toBe('code');
  });

  it('lists a drug’s ingredients', () => {
    const ing = (display: string) => ({ system: '', code: '', display });
    expect(ingredientLine({ ingredients: [ing('sulfamethoxazole'), ing('trimethoprim')] })).toBe('sulfamethoxazole + trimethoprim');
    expect(ingredientLine({})).toBe('');
  });
});
