import { describe, expect, it } from 'vitest';
import { displayUnit, displayValue, formatVital, fromCanonical, metricUnits, toCanonical, unitSymbol } from './units';

const us = { weight: '[lb_av]', height: '[in_i]', temperature: '[degF]' };

describe('vitals units', () => {
  it('uses the exact international pound and inch', () => {
    expect(fromCanonical('weight', 0.45359237, '[lb_av]')).toBeCloseTo(1, 12);
    expect(toCanonical('weight', 154, '[lb_av]')).toBeCloseTo(69.853225, 6);
    expect(toCanonical('height', 70, '[in_i]')).toBeCloseTo(177.8, 10);
    expect(fromCanonical('height', 177.8, '[in_i]')).toBeCloseTo(70, 10);
  });

  it('converts temperature both ways', () => {
    expect(fromCanonical('temperature', 37, '[degF]')).toBeCloseTo(98.6, 10);
    expect(toCanonical('temperature', 212, '[degF]')).toBeCloseTo(100, 10);
    expect(fromCanonical('temperature', -40, '[degF]')).toBeCloseTo(-40, 10);
  });

  it('round-trips a typed display value to the same displayed figure', () => {
    for (const lb of [7.3, 154.2, 301.9]) {
      const stored = Math.round(toCanonical('weight', lb, '[lb_av]') * 1000) / 1000; // 3 stored decimals, as Go
      expect(displayValue('weight', stored, us)).toBe(lb);
    }
  });

  it('refuses a unit that does not belong to the field', () => {
    expect(() => fromCanonical('heartRate', 70, '[lb_av]'.replace('lb_av', 'x'))).toThrow();
    expect(() => toCanonical('weight', 70, 'cm')).toThrow();
  });

  it('picks the practice unit only for weight, height and temperature', () => {
    expect(displayUnit('weight', us)).toBe('[lb_av]');
    expect(displayUnit('heartRate', us)).toBe('/min');
    expect(displayUnit('weight', { weight: '', height: '', temperature: '' })).toBe('kg');
  });

  it('formats like chart.FormatVital', () => {
    expect(formatVital('temperature', 37, us)).toBe('98.6 °F');
    expect(formatVital('temperature', 37, metricUnits)).toBe('37.0 °C');
    expect(formatVital('heartRate', 72, us)).toBe('72 /min');
    expect(formatVital('pain', 7, us)).toBe('7/10');
    expect(formatVital('spo2', 97, us)).toBe('97%');
    expect(formatVital('weight', 70, us)).toBe('154.3 lb');
    expect(unitSymbol('mm[Hg]')).toBe('mmHg');
  });
});
