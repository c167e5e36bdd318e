import { describe, expect, it } from 'vitest';
import { defaultSource, refillsFrom, sourceOptions } from './medicationForm';

describe('refillsFrom', () => {
  it('reads the number a number input binds to', () => {
    expect(refillsFrom(2)).toEqual({ value: 2 });
    expect(refillsFrom(0)).toEqual({ value: 0 });
  });
  it('reads text and an empty input', () => {
    expect(refillsFrom(' 3 ')).toEqual({ value: 3 });
    expect(refillsFrom('')).toEqual({ value: 0 });
    expect(refillsFrom(null)).toEqual({ value: 0 });
    expect(refillsFrom(undefined)).toEqual({ value: 0 });
  });
  it('refuses what is not a whole number', () => {
    for (const bad of [1.5, -1, 'two', '1e400', Number.NaN]) expect(refillsFrom(bad)).toHaveProperty('error');
  });
});

describe('who may prescribe', () => {
  it('offers "prescribed here" to clinicians only', () => {
    expect(sourceOptions('clinician').map((o) => o.value)).toEqual(['prescribed', 'reported']);
    expect(sourceOptions('nurse').map((o) => o.value)).toEqual(['reported']);
    expect(defaultSource('nurse')).toBe('reported');
    expect(defaultSource('clinician')).toBe('prescribed');
  });
});
