import { describe, expect, it } from 'vitest';
import { testKey, trendTests } from './resultTrend';

const loinc = 'http://loinc.org';
const r = (display: string, code = '', system = code ? loinc : '') => ({ test: { system, code, display } });

describe('result trends', () => {
  it('puts a lab result and a hand-entered one with the same LOINC code in one series', () => {
    const lab = r('Potassium [Moles/volume] in Serum or Plasma', '2823-3');
    const here = r('Potassium', '2823-3');
    expect(testKey(lab)).toBe(testKey(here));
    expect(trendTests([lab, here])).toEqual([{ key: `${loinc}|2823-3`, label: 'Potassium [Moles/volume] in Serum or Plasma' }]);
  });
  it('keeps uncoded tests apart by name, ignoring case and spaces', () => {
    expect(testKey(r('Throat swab '))).toBe(testKey(r('throat swab')));
    expect(testKey(r('Throat swab'))).not.toBe(testKey(r('Throat swab', '2823-3')));
    expect(trendTests([r('Hb'), r('Ferritin'), r('hb')]).map((t) => t.label)).toEqual(['Ferritin', 'Hb']);
  });
});
