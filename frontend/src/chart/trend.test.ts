import { describe, expect, it } from 'vitest';
import { localTime, scale, sparklinePath } from './trend';

const box = { width: 100, height: 20, pad: 2 };

describe('trend geometry', () => {
  it('draws higher values higher, spanning the box', () => {
    expect(sparklinePath([1, 3, 2], box)).toBe('M2 18 L50 2 L98 10');
  });

  it('centres a flat line and a single point', () => {
    expect(sparklinePath([5, 5], box)).toBe('M2 10 L98 10');
    expect(sparklinePath([5], box)).toBe('M50 10');
  });

  it('spaces points by time and drops non-finite values', () => {
    const s = scale(
      [
        { x: 0, y: 10 },
        { x: 30, y: 20 },
        { x: 40, y: NaN },
        { x: 100, y: 10 },
      ],
      box,
    );
    expect(s.points.map((p) => p.cx)).toEqual([2, 30.8, 98]);
    expect(s.yMin).toBe(10);
    expect(s.yMax).toBe(20);
  });

  it('draws nothing for no data', () => {
    expect(sparklinePath([], box)).toBe('');
  });

  it('reads local date-times and dates in order', () => {
    expect(localTime('2026-11-23T09:30')).toBeLessThan(localTime('2026-11-23T10:00'));
    expect(localTime('2026-11-22')).toBeLessThan(localTime('2026-11-22T00:01'));
    expect(localTime('soon')).toBeNaN();
  });
});
