import { describe, expect, it } from 'vitest';
import { toWire } from './patients';
import { blankPatient } from './types';

describe('toWire', () => {
  it('leaves out the empty timestamps Go cannot parse', () => {
    const w = toWire({ ...blankPatient(), familyName: 'Okafor' }) as unknown as Record<string, unknown>;
    expect(w).not.toHaveProperty('createdAt');
    expect(w).not.toHaveProperty('updatedAt');
    expect(w.familyName).toBe('Okafor');
  });
  it('keeps real timestamps of an existing patient', () => {
    const w = toWire({ ...blankPatient(), createdAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:05:00Z' }) as unknown as Record<string, unknown>;
    expect(w.createdAt).toBe('2026-11-23T09:00:00Z');
    expect(w.updatedAt).toBe('2026-11-23T09:05:00Z');
  });
});
