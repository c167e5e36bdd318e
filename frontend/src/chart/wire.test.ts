import { describe, expect, it } from 'vitest';
import { blankMeta, toWire, type Problem } from '../api/chart';

describe('toWire', () => {
  it('leaves out the empty timestamps and absent objects Go cannot parse', () => {
    const p: Problem = {
      ...blankMeta('p1'),
      condition: { system: '', code: '', display: 'Asthma' },
      onset: '',
      status: 'active',
      chronic: true,
      comment: '',
      enteredInError: null,
    };
    const w = toWire(p) as unknown as Record<string, unknown>;
    expect(w).not.toHaveProperty('createdAt');
    expect(w).not.toHaveProperty('updatedAt');
    expect(w).not.toHaveProperty('enteredInError');
    expect(w.id).toBe('');
    expect(w.version).toBe(0);
    expect(w.onset).toBe('');
    expect(w.patientId).toBe('p1');
  });

  it('keeps the timestamps and version of a saved record', () => {
    const w = toWire({ ...blankMeta('p1'), createdAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:05:00Z', version: 3 });
    expect(w.createdAt).toBe('2026-11-23T09:00:00Z');
    expect(w.version).toBe(3);
  });
});
