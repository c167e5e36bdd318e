// The Growth tab's choices and geometry: which CDC 2000 chart fits the
// patient's age, and the percentile curves and points scaled into an SVG
// box. Pure functions, unit-tested; the numbers come from the backend
// (package growth).
import type { GrowthChartId, GrowthPoint, GrowthSeries } from '../api/growth';
import { niceTicks } from './trend';

export type GrowthKind = 'weight' | 'length' | 'head' | 'bmi' | 'wfl';
/** CDC's two sets: birth to 36 months (lying length), 2 to 20 years (standing). */
export type GrowthSet = 'infant' | 'child';

export const growthKinds: { kind: GrowthKind; label: string; infant?: GrowthChartId; child?: GrowthChartId }[] = [
  { kind: 'weight', label: 'Weight-for-age', infant: 'weight-age-infant', child: 'weight-age' },
  { kind: 'length', label: 'Length/stature-for-age', infant: 'length-age-infant', child: 'stature-age' },
  { kind: 'head', label: 'Head circumference-for-age', infant: 'head-age-infant' },
  { kind: 'bmi', label: 'BMI-for-age (from 2 years)', child: 'bmi-age' },
  { kind: 'wfl', label: 'Weight-for-length/stature', infant: 'weight-length-infant', child: 'weight-stature' },
];

export const setLabels: Record<GrowthSet, string> = { infant: 'Birth to 36 months', child: '2 to 20 years' };

/** CDC's month: age in months = days since birth / 30.4375. */
const daysPerMonth = 30.4375;

/** Age in months on today of someone born on birthDate (YYYY-MM-DD). */
export function ageInMonths(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  const born = Date.UTC(y, m - 1, d);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((now - born) / 86_400_000) / daysPerMonth;
}

/** The growth charts are for patients under 20 years (240 months). */
export const growthShown = (ageMonths: number) => Number.isFinite(ageMonths) && ageMonths >= 0 && ageMonths < 240;

/** The sets that cover an age: both from 24 to 36 months, where they overlap. */
export function setsFor(ageMonths: number): GrowthSet[] {
  if (!growthShown(ageMonths)) return [];
  if (ageMonths < 24) return ['infant'];
  if (ageMonths <= 36) return ['infant', 'child'];
  return ['child'];
}

/** The chart of a kind in a set, or null where CDC has none (BMI under 2, head over 3). */
export function chartIdFor(kind: GrowthKind, set: GrowthSet): GrowthChartId | null {
  return growthKinds.find((k) => k.kind === kind)?.[set] ?? null;
}

export const kindsIn = (set: GrowthSet) => growthKinds.filter((k) => k[set]);

/** "13.0 months" under 2 years, "4 y 2 mo" after. */
export function ageText(months: number): string {
  if (months < 24) return `${months.toFixed(1)} months`;
  return `${Math.floor(months / 12)} y ${Math.floor(months % 12)} mo`;
}

/** "z −0.21", with a true minus sign. */
export const zText = (z: number) => `z ${z < 0 ? '−' : '+'}${Math.abs(z).toFixed(2)}`;

export interface GrowthBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface GrowthLayout {
  curves: { percentile: number; d: string; label: { x: number; y: number; text: string } }[];
  dots: { cx: number; cy: number; point: GrowthPoint }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
}

const r2 = (n: number) => Math.round(n * 100) / 100;
/** Pixels between two curve labels at the right edge. */
const labelGap = 9;

/** Ticks of the horizontal axis: months for the infant set, years (every 2) for the child set, cm for length. */
function xTickValues(s: GrowthSeries): { value: number; label: string }[] {
  if (s.chart.axis === 'age' && s.xMax > 36) {
    const out = [];
    for (let m = Math.ceil(s.xMin / 24) * 24; m <= s.xMax; m += 24) out.push({ value: m, label: String(m / 12) });
    return out;
  }
  if (s.chart.axis === 'age') {
    const out = [];
    for (let m = 0; m <= s.xMax; m += 3) out.push({ value: m, label: String(m) });
    return out;
  }
  return niceTicks(s.xMin, s.xMax, 8).ticks.filter((v) => v >= s.xMin && v <= s.xMax).map((v) => ({ value: v, label: String(v) }));
}

/** The horizontal axis's caption: "Age (years)", "Age (months)", "Length (cm)". */
export function xAxisLabel(s: GrowthSeries): string {
  const years = s.chart.axis === 'age' && s.xMax > 36;
  return `${s.chart.xLabel} (${years ? 'years' : s.chart.xUnit})`;
}

/**
 * growthLayout scales the curves and the scored points of a series into
 * box. The value axis covers every curve and point; a point outside the
 * chart (no score) is listed, not drawn.
 */
export function growthLayout(s: GrowthSeries, box: GrowthBox): GrowthLayout {
  const drawn = s.points.filter((p) => p.score && Number.isFinite(p.x) && Number.isFinite(p.y));
  const ys = [...s.curves.flatMap((c) => c.points.map((p) => p.y)), ...drawn.map((p) => p.y)];
  const yt = niceTicks(Math.min(...ys), Math.max(...ys), 8);
  const w = box.width - box.left - box.right;
  const h = box.height - box.top - box.bottom;
  const sx = (x: number) => r2(box.left + ((x - s.xMin) / (s.xMax - s.xMin)) * w);
  const sy = (y: number) => r2(box.top + (1 - (y - yt.lo) / (yt.hi - yt.lo)) * h);
  let lastLabelY = Infinity;
  const curves = s.curves.map((c) => {
    const d = c.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x)} ${sy(p.y)}`).join(' ');
    const end = c.points[c.points.length - 1];
    // A label too close to the one below it (3rd and 5th converge) is left off.
    const y = sy(end.y) + 3;
    const text = lastLabelY - y >= labelGap ? String(c.percentile) : '';
    if (text) lastLabelY = y;
    return { percentile: c.percentile, d, label: { x: sx(end.x) + 3, y, text } };
  });
  return {
    curves,
    dots: drawn.map((p) => ({ cx: sx(p.x), cy: sy(p.y), point: p })),
    xTicks: xTickValues(s).map((t) => ({ x: sx(t.value), label: t.label })),
    yTicks: yt.ticks.map((v) => ({ y: sy(v), label: String(v) })),
  };
}

/** One point in words: "13.0 months: 9.2 kg, 42nd percentile (z −0.21)". */
export function pointText(s: GrowthSeries, p: GrowthPoint): string {
  const at = s.chart.axis === 'age' ? ageText(p.ageMonths) : `${p.x.toFixed(1)} cm`;
  const value = `${p.y.toFixed(1)} ${s.chart.yUnit}`;
  if (!p.score) return `${at}: ${value}, not on this chart (${p.problem ?? 'outside its range'})`;
  return `${at}: ${value}, ${p.percentileText} percentile (${zText(p.score.z)})`;
}
