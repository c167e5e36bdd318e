// Words and rows for Admin → Import & export: the progress line, the
// report's summary and its per-type table. Pure, so it is unit-tested.
import type { ImportProgress, ImportReport, TypeCounts } from '../api/interopTypes';

/** Percent of the input read, 0–100 (0 until the size is known). */
export function importPercent(p: ImportProgress): number {
  if (!p.bytes || p.bytes <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((p.bytesDone / p.bytes) * 100)));
}

const plural = (n: number, one: string, many = one + 's') => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "File 2 of 5: Patient.ndjson — 1,204 entries, 12 patients". */
export function progressText(p: ImportProgress): string {
  const file = p.file ? p.file.split(/[\\/]/).pop() : '';
  const where = p.files > 0 ? `File ${Math.min(p.filesDone + 1, p.files)} of ${p.files}${file ? `: ${file}` : ''}` : 'Finding the files';
  return `${where} — ${plural(p.entries, 'entry', 'entries')}, ${plural(p.patients, 'patient')}`;
}

/** One sentence saying what the import did. */
export function summaryText(r: ImportReport): string {
  const pt = r.patients;
  const parts = [
    plural(pt.created, 'new patient'),
    `${plural(pt.matched, 'patient')} matched to existing charts`,
  ];
  if (pt.held) parts.push(`${plural(pt.held, 'patient')} waiting in the match queue`);
  if (pt.failed) parts.push(`${plural(pt.failed, 'patient')} not imported`);
  const head = r.cancelled ? 'Import cancelled after' : 'Import finished:';
  const speed = r.seconds > 0 ? ` in ${r.seconds.toFixed(1)} s` : '';
  return `${head} ${plural(r.entries, 'entry', 'entries')} read${speed}; ${parts.join(', ')}.`;
}

export interface TypeRow extends TypeCounts {
  type: string;
}

/** The totals by resource type, the most read first; failures first of all. */
export function typeRows(totals: Record<string, TypeCounts> | null | undefined): TypeRow[] {
  return Object.entries(totals ?? {})
    .map(([type, c]) => ({ type, ...c }))
    .sort((a, b) => b.failed - a.failed || b.read - a.read || a.type.localeCompare(b.type));
}

/** "no home in Outpost (12), reference data (3)". */
export function reasonsText(reasons: Record<string, number> | null | undefined): string {
  return Object.entries(reasons ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([why, n]) => `${why} (${n.toLocaleString('en-US')})`)
    .join(', ');
}

/** True when every resource read is accounted for exactly once. */
export function countsAddUp(c: TypeCounts): boolean {
  return c.read === c.imported + c.merged + c.skipped + c.failed;
}
