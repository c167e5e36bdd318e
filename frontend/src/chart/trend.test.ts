import { describe, expect, it } from 'vitest';
import {
  ageBandSegments,
  bandStart,
  localTime,
  niceTicks,
  plotLayout,
  referenceSegment,
  scale,
  sparklinePath,
  timeTicks,
  trendSummary,
  type AgeBand,
} from './trend';

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

const at = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h).getTime();

describe('value ticks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ and covers the values', () => {
    expect(niceTicks(62, 110)).toEqual({ ticks: [60, 80, 100, 120], lo: 60, hi: 120 });
    expect(niceTicks(36.4, 37.3).ticks).toEqual([36, 36.5, 37, 37.5]);
    const t = niceTicks(36.4, 37.3);
    expect(t.lo).toBeLessThanOrEqual(36.4);
    expect(t.hi).toBeGreaterThanOrEqual(37.3);
    expect(t.ticks.length).toBeLessThanOrEqual(5);
    expect(t.ticks.every((v) => String(v).length <= 4)).toBe(true); // 36.5, never 36.50000001
  });
  it('gives a flat series room around it', () => {
    const t = niceTicks(72, 72);
    expect(t.lo).toBeLessThan(72);
    expect(t.hi).toBeGreaterThan(72);
  });
  it('never crowds: at most maxTicks', () => {
    for (const [lo, hi] of [[0, 1], [0.1, 0.13], [95, 100], [1, 1000], [-3, 7]]) {
      expect(niceTicks(lo, hi, 5).ticks.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('date ticks', () => {
  it('labels days over a fortnight, with the year once', () => {
    const t = timeTicks(at(2026, 3, 2), at(2026, 3, 6), 400);
    expect(t.map((x) => x.label)).toEqual(['2 Mar 2026', '3 Mar', '4 Mar', '5 Mar', '6 Mar']);
  });
  it('keeps labels apart: months then years as the span grows', () => {
    const months = timeTicks(at(2025, 1, 15), at(2026, 1, 10), 400);
    expect(months.length).toBeLessThanOrEqual(400 / 72);
    expect(months[0].label).toMatch(/^[A-Z][a-z]{2} 2025$/);
    const years = timeTicks(at(2010, 6, 1), at(2026, 2, 1), 400);
    expect(years.map((x) => x.label)).toEqual(['2015', '2020', '2025']);
    // Spaced at least minGap pixels at 400 px wide.
    const span = at(2026, 2, 1) - at(2010, 6, 1);
    for (let i = 1; i < years.length; i++) expect(((years[i].x - years[i - 1].x) / span) * 400).toBeGreaterThanOrEqual(72);
  });
  it('falls back to the dates themselves within one day', () => {
    expect(timeTicks(at(2026, 3, 2, 9), at(2026, 3, 2, 17), 400)).toEqual([{ x: at(2026, 3, 2, 9), label: '2 Mar 2026' }]);
    expect(timeTicks(at(2026, 3, 2, 9), at(2026, 3, 2, 9), 400)).toHaveLength(1);
  });
});

const bands: AgeBand[] = [
  { from: '0d', phrase: 'range for a newborn', ranges: { heartRate: { low: 100, high: 205 } } },
  { from: '28d', phrase: 'range for an infant', ranges: { heartRate: { low: 100, high: 180 } } },
  { from: '1y', phrase: 'range for a toddler', ranges: { heartRate: { low: 98, high: 140 } } },
  { from: '18y', phrase: 'adult range', ranges: { heartRate: { low: 60, high: 100 }, bmi: { low: 18.5, high: 24.9 } } },
];

describe('the normal band', () => {
  it('starts each age band on the right day', () => {
    expect(bandStart('2025-01-10', '28d')).toBe(at(2025, 2, 7));
    expect(bandStart('2025-01-10', '1y')).toBe(at(2026, 1, 10));
    expect(bandStart('nope', '1y')).toBeNaN();
  });
  it('follows a child across age bands', () => {
    const segs = ageBandSegments(bands, '2025-01-10', 'heartRate', at(2025, 1, 20), at(2026, 3, 1));
    expect(segs.map((s) => [s.x0, s.x1, s.low, s.high])).toEqual([
      [at(2025, 1, 20), at(2025, 2, 7), 100, 205],
      [at(2025, 2, 7), at(2026, 1, 10), 100, 180],
      [at(2026, 1, 10), at(2026, 3, 1), 98, 140],
    ]);
    expect(segs[2].label).toBe('typical range for a toddler');
  });
  it('leaves a gap where a band lists no range, converts units', () => {
    expect(ageBandSegments(bands, '2000-01-01', 'bmi', at(2010, 1, 1), at(2019, 1, 1)).map((s) => s.x0)).toEqual([at(2018, 1, 1)]);
    const f = ageBandSegments(bands, '1980-01-01', 'heartRate', at(2026, 1, 1), at(2026, 1, 1), (v) => v * 2);
    expect(f).toEqual([{ x0: at(2026, 1, 1), x1: at(2026, 1, 1), low: 120, high: 200, label: 'typical adult range' }]);
  });
  it('takes a result reference range, one-sided too', () => {
    expect(referenceSegment(4, 5.6, 0, 10)).toEqual([{ x0: 0, x1: 10, low: 4, high: 5.6, label: 'reference range' }]);
    expect(referenceSegment(NaN, 5.6, 0, 10)[0].low).toBe(-Infinity);
    expect(referenceSegment(undefined, NaN, 0, 10)).toEqual([]);
  });
});

describe('plot layout', () => {
  const box = { width: 440, height: 160, left: 40, right: 10, top: 10, bottom: 30 };
  const pts = [
    { x: at(2026, 1, 5), y: 72 },
    { x: at(2026, 2, 5), y: 110 },
    { x: at(2026, 3, 5), y: 88 },
  ];
  const adult = ageBandSegments(bands, '1980-01-01', 'heartRate', pts[0].x, pts[2].x);
  it('takes the normal band into the value axis and draws it', () => {
    const l = plotLayout(pts, adult, box);
    expect(l.yTicks.map((t) => t.label)).toEqual(['60', '80', '100', '120']);
    expect(l.yTicks[0].y).toBe(130); // the lowest tick sits on the bottom of the plot
    expect(l.yTicks[3].y).toBe(10);
    const band = l.bands[0];
    expect([band.x, band.w]).toEqual([40, 390]);
    // 100 is two thirds up from 60 to 120; 60 is the bottom.
    expect(band.y).toBe(50);
    expect(band.y + band.h).toBe(130);
    expect(l.dots.map((d) => d.out)).toEqual(['', 'above', '']);
    expect(l.xTicks.length).toBeGreaterThan(0);
    expect(l.xTicks.every((t) => t.x >= 40 && t.x <= 430)).toBe(true);
  });
  it('draws nothing without values', () => {
    expect(plotLayout([], adult, box)).toEqual({ d: '', dots: [], yTicks: [], xTicks: [], bands: [] });
  });
  it('says it in words', () => {
    expect(trendSummary('Heart rate', '/min', pts, adult)).toBe(
      'Heart rate (/min): 3 values from 5 Jan 2026 to 5 Mar 2026. Lowest 72, highest 110, latest 88. ' +
        'Typical adult range 60 to 100: 1 above, none below.',
    );
    expect(trendSummary('HbA1c', '%', pts.slice(0, 1), referenceSegment(NaN, 120, 0, 0))).toContain('Reference range up to 120: every value within it.');
    expect(trendSummary('HbA1c', '%', [], [])).toBe('HbA1c (%): no values to plot.');
  });
});
