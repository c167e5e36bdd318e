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
