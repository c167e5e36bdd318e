import { describe, expect, it } from 'vitest';
import { ageMonths, ageYears, formatAge, formatDate } from './age';

const on = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12, 0, 0);

describe('ageYears', () => {
  it('counts whole years, turning over on the birthday', () => {
    expect(ageYears('1980-03-12', on(2026, 3, 11))).toBe(45);
    expect(ageYears('1980-03-12', on(2026, 3, 12))).toBe(46);
  });
  it('handles a 29 February birthday in a common year', () => {
    expect(ageYears('2000-02-29', on(2025, 2, 28))).toBe(24);
    expect(ageYears('2000-02-29', on(2025, 3, 1))).toBe(25);
  });
  it('is 0 on the day of birth', () => {
    expect(ageYears('2026-11-23', on(2026, 11, 23))).toBe(0);
  });
  it('returns -1 for future, impossible or malformed dates', () => {
    expect(ageYears('2030-01-01', on(2026, 1, 1))).toBe(-1);
    expect(ageYears('2025-02-30', on(2026, 1, 1))).toBe(-1);
    expect(ageYears('12/03/1980', on(2026, 1, 1))).toBe(-1);
    expect(ageYears('', on(2026, 1, 1))).toBe(-1);
  });
});

describe('formatAge', () => {
  it('uses years from two years on, months below, then weeks and days', () => {
    expect(formatAge('1980-03-12', on(2026, 3, 12))).toBe('46 y');
    expect(formatAge('2024-11-24', on(2026, 11, 23))).toBe('23 mo');
    expect(ageMonths('2026-09-23', on(2026, 11, 23))).toBe(2);
    expect(formatAge('2026-11-01', on(2026, 11, 23))).toBe('3 wk');
    expect(formatAge('2026-11-20', on(2026, 11, 23))).toBe('3 d');
  });
  it('is empty when the date is unusable', () => {
    expect(formatAge('nonsense')).toBe('');
  });
});

describe('formatDate', () => {
  it('writes an unambiguous day month year', () => {
    expect(formatDate('1980-03-12')).toBe('12 Mar 1980');
    expect(formatDate('garbage')).toBe('garbage');
  });
});
