// Geometry of the small trend pictures: an inline sparkline and a plot
// with axes. Pure functions so the scaling is unit-tested.

export interface Point {
  /** Milliseconds since the epoch (or any increasing x). */
  x: number;
  y: number;
}

export interface Box {
  width: number;
  height: number;
  pad: number;
}

export interface Scaled {
  /** SVG path data, "" when there is nothing to draw. */
  d: string;
  /** Each point in SVG coordinates, for dots and tooltips. */
  points: { cx: number; cy: number }[];
  yMin: number;
  yMax: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

function extent(values: number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    // A flat line sits in the middle rather than on an edge.
    lo -= 1;
    hi += 1;
  }
  return [lo, hi];
}

/**
 * scale maps points into the box (higher values drawn higher). Points are
 * spaced by x; when every x is equal they are spread evenly. Non-finite
 * values are dropped.
 */
export function scale(input: readonly Point[], box: Box): Scaled {
  const pts = input.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (pts.length === 0) return { d: '', points: [], yMin: 0, yMax: 0 };
  const [yMin, yMax] = extent(pts.map((p) => p.y));
  const xs = pts.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  const points = pts.map((p, i) => {
    const fx = x1 === x0 ? (pts.length === 1 ? 0.5 : i / (pts.length - 1)) : (p.x - x0) / (x1 - x0);
    return { cx: round(box.pad + fx * w), cy: round(box.pad + (1 - (p.y - yMin) / (yMax - yMin)) * h) };
  });
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.cx} ${p.cy}`).join(' ');
  return { d, points, yMin, yMax };
}

/** Sparkline path of plain values, evenly spaced. */
export function sparklinePath(values: readonly number[], box: Box): string {
  return scale(
    values.map((y, i) => ({ x: i, y })),
    box,
  ).d;
}

/** Local "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD" to a sortable number (NaN if unreadable). */
export function localTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(s);
  if (!m) return NaN;
  return new Date(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0)).getTime();
}

// --- The trend plot: axes, the normal band, a summary in words ----------

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayMs = 86_400_000;

/** Rounds away the float noise of adding steps (0.1 + 0.2). */
const tidy = (n: number) => Number(n.toPrecision(12));

/**
 * Ticks 1, 2 or 5 × 10ⁿ apart that cover [lo, hi] with at most about
 * maxTicks of them; lo and hi of the result are the first and last tick
 * (the plot's value domain).
 */
export function niceTicks(lo: number, hi: number, maxTicks = 5): { ticks: number[]; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], lo: 0, hi: 1 };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - d, hi + d];
  }
  const raw = (hi - lo) / Math.max(1, maxTicks - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = 10 * mag;
  for (const m of [1, 2, 5, 10]) {
    const s = m * mag;
    if (Math.ceil(hi / s) - Math.floor(lo / s) + 1 <= maxTicks) {
      step = s;
      break;
    }
  }
  const first = tidy(Math.floor(lo / step) * step);
  const last = tidy(Math.ceil(hi / step) * step);
  const ticks: number[] = [];
  for (let v = first, i = 0; v <= last + step / 2; i++, v = tidy(first + i * step)) ticks.push(v);
  return { ticks, lo: first, hi: last };
}

export interface TimeTick {
  x: number;
  label: string;
}

type TimeStep = { days: number } | { months: number };
const timeSteps: TimeStep[] = [
  { days: 1 },
  { days: 2 },
  { days: 7 },
  { days: 14 },
  { months: 1 },
  { months: 2 },
  { months: 3 },
  { months: 6 },
  { months: 12 },
  { months: 24 },
  { months: 60 },
  { months: 120 },
];

const stepMs = (s: TimeStep) => ('days' in s ? s.days * dayMs : s.months * 30.44 * dayMs);
const dayLabel = (d: Date) => `${d.getDate()} ${months[d.getMonth()]}`;
const fullDate = (d: Date) => `${dayLabel(d)} ${d.getFullYear()}`;

/**
 * Date ticks for times x0..x1 (ms) drawn plotWidth pixels wide, never
 * closer than minGap pixels: days ("12 Mar"), months ("Mar 2026") or years
 * ("2026"), on round dates. With no round date inside (a few hours), the
 * first and last dates.
 */
export function timeTicks(x0: number, x1: number, plotWidth: number, minGap = 72): TimeTick[] {
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) return [];
  const ends = () => {
    const a = new Date(x0);
    const b = new Date(x1);
    return fullDate(a) === fullDate(b) || plotWidth < 2 * minGap
      ? [{ x: x0, label: fullDate(a) }]
      : [{ x: x0, label: fullDate(a) }, { x: x1, label: fullDate(b) }];
  };
  if (x1 <= x0) return ends();
  const fits = Math.max(1, Math.floor(plotWidth / minGap));
  const step = timeSteps.find((s) => (x1 - x0) / stepMs(s) < fits) ?? timeSteps[timeSteps.length - 1];
  const out: TimeTick[] = [];
  const start = new Date(x0);
  if ('days' in step) {
    // Midnights; weeks start on a Monday.
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate());
    if (d.getTime() < x0) d.setDate(d.getDate() + 1);
    if (step.days === 7 || step.days === 14) while (d.getDay() !== 1) d.setDate(d.getDate() + 1);
    for (; d.getTime() <= x1; d.setDate(d.getDate() + step.days)) out.push({ x: d.getTime(), label: dayLabel(d) });
    // Days alone do not say the year: the first tick does.
    if (out.length) out[0].label = fullDate(new Date(out[0].x));
  } else {
    const m = step.months;
    let y = start.getFullYear();
    let mo = start.getMonth();
    const aligned = () => (y * 12 + mo) % m === 0;
    while (new Date(y, mo, 1).getTime() < x0 || !aligned()) [y, mo] = mo === 11 ? [y + 1, 0] : [y, mo + 1];
    for (let d = new Date(y, mo, 1); d.getTime() <= x1; d = new Date(d.getFullYear(), d.getMonth() + m, 1)) {
      out.push({ x: d.getTime(), label: m >= 12 ? String(d.getFullYear()) : `${months[d.getMonth()]} ${d.getFullYear()}` });
    }
  }
  return out.length ? out : ends();
}

/** A normal range over a stretch of time (a child's changes as they grow). */
export interface RangeSegment {
  /** From and to (ms); equal for a plot of one time. */
  x0: number;
  x1: number;
  /** -Infinity / Infinity when the range has only one side (a result "< 5.7"). */
  low: number;
  high: number;
  /** "typical adult range", "reference range". */
  label: string;
}

/** One age band of the vital-sign ranges table (chart.AgeBand), in canonical units. */
export interface AgeBand {
  /** The age it starts at: days ("28d") or birthdays ("1y"). */
  from: string;
  phrase: string;
  ranges: Partial<Record<string, { low: number; high: number }>>;
}

/** When a band starting at age from ("28d", "1y") starts for someone born on birthDate. */
export function bandStart(birthDate: string, from: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const f = /^(\d+)([dy])$/.exec(from);
  if (!m || !f) return NaN;
  const n = +f[1];
  const [y, mo, d] = [+m[1], +m[2] - 1, +m[3]];
  return (f[2] === 'd' ? new Date(y, mo, d + n) : new Date(y + n, mo, d)).getTime();
}

/**
 * The typical range of field across x0..x1 for someone born on birthDate:
 * one segment per age band the time spans (a band that does not list the
 * field leaves a gap). canonical→shown converts a bound to the display unit.
 */
export function ageBandSegments(
  bands: readonly AgeBand[],
  birthDate: string,
  field: string,
  x0: number,
  x1: number,
  shown: (v: number) => number = (v) => v,
): RangeSegment[] {
  const out: RangeSegment[] = [];
  bands.forEach((b, i) => {
    const r = b.ranges[field];
    const start = bandStart(birthDate, b.from);
    const end = i + 1 < bands.length ? bandStart(birthDate, bands[i + 1].from) : Infinity;
    if (!r || !Number.isFinite(start)) return;
    const from = Math.max(start, x0);
    const to = Math.min(end, x1);
    const covers = x0 === x1 ? start <= x0 && x0 < end : from < to;
    if (!covers) return;
    const [lo, hi] = [shown(r.low), shown(r.high)].sort((a, z) => a - z);
    out.push({ x0: x0 === x1 ? x0 : from, x1: x0 === x1 ? x1 : to, low: lo, high: hi, label: `typical ${b.phrase}` });
  });
  return out;
}

/** A result's reference range as one segment, or none when it has neither bound. */
export function referenceSegment(refLow: number | undefined, refHigh: number | undefined, x0: number, x1: number): RangeSegment[] {
  const low = Number.isFinite(refLow) ? (refLow as number) : -Infinity;
  const high = Number.isFinite(refHigh) ? (refHigh as number) : Infinity;
  if (low === -Infinity && high === Infinity) return [];
  return [{ x0, x1, low: Math.min(low, high), high: Math.max(low, high), label: 'reference range' }];
}

export interface PlotBox {
  width: number;
  height: number;
  /** Room for the value labels (left) and the date labels (bottom). */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PlotLayout {
  d: string;
  dots: { cx: number; cy: number; y: number; out: 'above' | 'below' | '' }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  bands: { x: number; y: number; w: number; h: number; label: string }[];
}

/** Whether p lies above or below the range that covers its time ('' within, or no range then). */
export function outsideRange(p: Point, ranges: readonly RangeSegment[]): 'above' | 'below' | '' {
  const r = ranges.find((s) => s.x0 === s.x1 || (p.x >= s.x0 && p.x <= s.x1));
  return !r ? '' : p.y > r.high ? 'above' : p.y < r.low ? 'below' : '';
}

/**
 * Everything the trend plot draws, in SVG coordinates: the line and dots,
 * value ticks chosen to take in the points and the normal range, date
 * ticks far enough apart to read, and the normal range as bands.
 */
export function plotLayout(input: readonly Point[], ranges: readonly RangeSegment[], box: PlotBox): PlotLayout {
  const pts = input.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const empty: PlotLayout = { d: '', dots: [], yTicks: [], xTicks: [], bands: [] };
  if (pts.length === 0) return empty;
  const values = pts.map((p) => p.y);
  for (const r of ranges) values.push(...[r.low, r.high].filter(Number.isFinite));
  const { ticks, lo, hi } = niceTicks(Math.min(...values), Math.max(...values));
  const xs = pts.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const w = box.width - box.left - box.right;
  const h = box.height - box.top - box.bottom;
  const px = (x: number) => tidy(box.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * w);
  const py = (v: number) => tidy(box.top + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * h);
  const dots = pts.map((p) => ({ cx: px(p.x), cy: py(p.y), y: p.y, out: outsideRange(p, ranges) }));
  return {
    d: dots.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.cx} ${p.cy}`).join(' '),
    dots,
    yTicks: ticks.map((t) => ({ y: py(t), label: String(t) })),
    xTicks: timeTicks(x0, x1, w).map((t) => ({ x: px(t.x), label: t.label })),
    bands: ranges.map((r) => {
      const [left, right] = r.x0 === r.x1 || x0 === x1 ? [box.left, box.left + w] : [px(r.x0), px(r.x1)];
      const top = py(r.high);
      return { x: left, y: top, w: tidy(right - left), h: tidy(py(r.low) - top), label: r.label };
    }),
  };
}

/**
 * The plot in words, for screen readers: "Heart rate (/min): 5 values from
 * 3 Jan 2026 to 4 Mar 2026. Lowest 62, highest 110, latest 88. Typical
 * adult range 60 to 100: 1 above, none below."
 */
export function trendSummary(
  title: string,
  unit: string,
  input: readonly Point[],
  ranges: readonly RangeSegment[],
  format: (v: number) => string = (v) => String(v),
): string {
  const pts = input.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const head = unit ? `${title} (${unit})` : title;
  if (pts.length === 0) return `${head}: no values to plot.`;
  const ys = pts.map((p) => p.y);
  const [a, b] = [fullDate(new Date(pts[0].x)), fullDate(new Date(pts[pts.length - 1].x))];
  const span = pts.length === 1 ? `1 value, on ${a}` : `${pts.length} values from ${a} to ${b}`;
  let text = `${head}: ${span}. Lowest ${format(Math.min(...ys))}, highest ${format(Math.max(...ys))}, latest ${format(ys[ys.length - 1])}.`;
  if (ranges.length) {
    const out = pts.map((p) => outsideRange(p, ranges));
    const above = out.filter((o) => o === 'above').length;
    const below = out.filter((o) => o === 'below').length;
    const bounds = (r: RangeSegment) =>
      r.low === -Infinity ? `up to ${format(r.high)}` : r.high === Infinity ? `from ${format(r.low)}` : `${format(r.low)} to ${format(r.high)}`;
    const last = ranges[ranges.length - 1];
    const n = (k: number) => (k === 0 ? 'none' : String(k));
    const label = last.label[0].toUpperCase() + last.label.slice(1);
    text += ` ${label} ${bounds(last)}: ${above + below === 0 ? 'every value within it' : `${n(above)} above, ${n(below)} below`}.`;
  }
  return text;
}
