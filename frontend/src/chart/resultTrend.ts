// Which results trend together: the same coded test (LOINC), whatever each
// source called it — a lab's "Potassium [Moles/volume] in Serum or Plasma"
// and a hand-entered "Potassium" picked from LOINC 2823-3 are one series —
// and, for uncoded tests, the same name.
import type { Result } from '../api/chart';

/** The series a result belongs to. */
export function testKey(r: Pick<Result, 'test'>): string {
  const t = r.test;
  return t.code ? `${t.system}|${t.code}` : `name|${t.display.trim().toLowerCase()}`;
}

export interface TrendTest {
  key: string;
  /** The name of the newest result of the series (results come newest first). */
  label: string;
}

/** One entry per series, by name. */
export function trendTests(newestFirst: Pick<Result, 'test'>[]): TrendTest[] {
  const seen = new Map<string, string>();
  for (const r of newestFirst) {
    const k = testKey(r);
    if (!seen.has(k)) seen.set(k, r.test.display);
  }
  return [...seen].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label));
}
