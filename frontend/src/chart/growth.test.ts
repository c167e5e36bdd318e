import { describe, expect, it } from 'vitest';
import type { GrowthSeries } from '../api/growth';
import { ageInMonths, ageText, chartIdFor, growthLayout, growthShown, kindsIn, pointText, setsFor, xAxisLabel, zText } from './growth';

const series = (over: Partial<GrowthSeries> = {}): GrowthSeries => ({
  chart: {
    id: 'weight-age-infant', title: 'Weight-for-age', ages: 'birth to 36 months', file: 'wtageinf.csv', axis: 'age',
    measure: 'weight', xLabel: 'Age', xUnit: 'months', yLabel: 'Weight', yUnit: 'kg',
  },
  sex: 'female', reference: 'CDC 2000', attribution: 'Source: CDC.', xMin: 0, xMax: 36,
  curves: [
    { percentile: 3, points: [{ x: 0, y: 2 }, { x: 36, y: 10 }] },
    { percentile: 97, points: [{ x: 0, y: 4 }, { x: 36, y: 16 }] },
  ],
  points: [
    { takenAt: '2026-12-05T10:00', ageMonths: 13, x: 13, y: 9.2, score: { z: -0.2134, percentile: 41.5 }, percentileText: '42nd' },
    { takenAt: '2027-12-05T10:00', ageMonths: 37, x: 37, y: 14, problem: 'Weight-for-age (birth to 36 months) covers ages 0 to 36 months' },
  ],
  ...over,
});

describe('which chart', () => {
  it('counts months as CDC does: days / 30.4375', () => {
    expect(ageInMonths('2025-11-05', new Date(2026, 11, 5))).toBeCloseTo(395 / 30.4375, 10);
    expect(ageInMonths('2025-11-05', new Date(2025, 10, 5))).toBe(0);
  });
  it('shows growth under 20 years only', () => {
    expect(growthShown(239.9)).toBe(true);
    expect(growthShown(240)).toBe(false);
    expect(growthShown(NaN)).toBe(false);
  });
  it('offers the sets that cover the age: both from 24 to 36 months', () => {
    expect(setsFor(13)).toEqual(['infant']);
    expect(setsFor(23.9)).toEqual(['infant']);
    expect(setsFor(24)).toEqual(['infant', 'child']);
    expect(setsFor(36)).toEqual(['infant', 'child']);
    expect(setsFor(36.1)).toEqual(['child']);
    expect(setsFor(240)).toEqual([]);
  });
  it('has no BMI under 2 and no head circumference after 3', () => {
    expect(chartIdFor('bmi', 'infant')).toBeNull();
    expect(chartIdFor('head', 'child')).toBeNull();
    expect(chartIdFor('length', 'child')).toBe('stature-age');
    expect(kindsIn('infant').map((k) => k.kind)).toEqual(['weight', 'length', 'head', 'wfl']);
    expect(kindsIn('child').map((k) => k.kind)).toEqual(['weight', 'length', 'bmi', 'wfl']);
  });
});

describe('words', () => {
  it('reads ages, z-scores and points', () => {
    expect(ageText(13.04)).toBe('13.0 months');
    expect(ageText(50)).toBe('4 y 2 mo');
    expect(zText(-0.2134)).toBe('z −0.21');
    expect(zText(1.5)).toBe('z +1.50');
    const s = series();
    expect(pointText(s, s.points[0])).toBe('13.0 months: 9.2 kg, 42nd percentile (z −0.21)');
    expect(pointText(s, s.points[1])).toContain('not on this chart');
  });
  it('labels the age axis in years on the 2 to 20 years set', () => {
    expect(xAxisLabel(series())).toBe('Age (months)');
    expect(xAxisLabel(series({ xMin: 24, xMax: 240 }))).toBe('Age (years)');
  });
});

describe('growthLayout', () => {
  const box = { width: 400, height: 300, left: 40, right: 20, top: 10, bottom: 30 };
  it('draws each curve across the box and only the scored points', () => {
    const l = growthLayout(series(), box);
    expect(l.curves).toHaveLength(2);
    expect(l.curves[0].d.startsWith('M40 ')).toBe(true);
    expect(l.curves[0].d).toContain('L380 ');
    expect(l.dots).toHaveLength(1);
    expect(l.dots[0].cx).toBeCloseTo(40 + (13 / 36) * 340, 1);
    // Higher values higher: the point (9.2 kg) lies above the 3rd curve at 13 months.
    const third = 2 + (8 * 13) / 36;
    const yOf = (v: number) => 10 + (1 - (v - 2) / 14) * 260; // value ticks 2..16
    expect(l.dots[0].cy).toBeLessThan(yOf(third));
    expect(l.xTicks.map((t) => t.label)).toEqual(['0', '3', '6', '9', '12', '15', '18', '21', '24', '27', '30', '33', '36']);
  });
  it('leaves off a curve label that would overlap the one below', () => {
    const close = series({
      curves: [
        { percentile: 3, points: [{ x: 0, y: 2 }, { x: 36, y: 10 }] },
        { percentile: 5, points: [{ x: 0, y: 2.1 }, { x: 36, y: 10.1 }] },
        { percentile: 97, points: [{ x: 0, y: 4 }, { x: 36, y: 16 }] },
      ],
    });
    expect(growthLayout(close, box).curves.map((c) => c.label.text)).toEqual(['3', '', '97']);
  });
  it('ticks every 2 years on the 2 to 20 years set', () => {
    const l = growthLayout(series({ xMin: 24, xMax: 240, curves: [{ percentile: 50, points: [{ x: 24, y: 12 }, { x: 240, y: 70 }] }], points: [] }), box);
    expect(l.xTicks.map((t) => t.label)).toEqual(['2', '4', '6', '8', '10', '12', '14', '16', '18', '20']);
  });
});
