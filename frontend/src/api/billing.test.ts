import { describe, expect, it } from 'vitest';
import { money, parseMoney } from './billing';

describe('money', () => {
  it('writes cents as dollars with thousands', () => {
    expect(money(0)).toBe('$0.00');
    expect(money(7550)).toBe('$75.50');
    expect(money(123456789)).toBe('$1,234,567.89');
    expect(money(-5)).toBe('-$0.05');
  });
  it('reads a typed fee, and refuses what is not one', () => {
    expect(parseMoney('75')).toBe(7500);
    expect(parseMoney('75.5')).toBe(7550);
    expect(parseMoney('$1,075.05')).toBe(107505);
    expect(parseMoney('7.555')).toBeNaN();
    expect(parseMoney('abc')).toBeNaN();
    expect(parseMoney('')).toBeNaN();
  });
});
