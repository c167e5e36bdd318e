import { describe, expect, it } from 'vitest';
import { parseVitals } from './vitalsForm';

const us = { weight: '[lb_av]', height: '[in_i]', temperature: '[degF]' };

describe('parseVitals', () => {
  it('sends only what was typed, in the practice unit it was typed in', () => {
    const p = parseVitals({ heartRate: '72', temperature: '98,6', weight: ' 154 ', height: '' }, us);
    expect(p.errors).toEqual({});
    expect(p.entry).toEqual({
      heartRate: { value: 72, unit: '/min' },
      temperature: { value: 98.6, unit: '[degF]' },
      weight: { value: 154, unit: '[lb_av]' },
    });
  });

  it('flags text that is not a number without sending it', () => {
    const p = parseVitals({ heartRate: 'fast', spo2: '97' }, us);
    expect(p.errors).toEqual({ heartRate: 'Type a number.' });
    expect(p.entry).toEqual({ spo2: { value: 97, unit: '%' } });
  });

  it('passes an impossible value through for the backend to refuse', () => {
    expect(parseVitals({ heartRate: '900' }, us).entry.heartRate).toEqual({ value: 900, unit: '/min' });
  });
});
