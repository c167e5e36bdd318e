// The home screen's list of today's patients, as lines to show: the
// visit(s) of the day first, by time, then the charts only opened.
import type { TodayPatient, TodayVisit } from '../api/chart';

const typeWords: Record<string, string> = {
  office: 'Office visit',
  home: 'Home visit',
  telephone: 'Telephone',
  telehealth: 'Telehealth',
};

/** "08:30" from a local "YYYY-MM-DDTHH:MM". */
export const clock = (start: string) => start.slice(11, 16);

/** "Office visit — Sore throat · Dr Sam Rivera". */
export function visitText(v: TodayVisit): string {
  const what = typeWords[v.type] ?? v.type;
  return [v.reason ? `${what} — ${v.reason}` : what, v.clinicianName].filter(Boolean).join(' · ');
}

/** Where the day stands for this patient: a visit's note signed, a visit open, or a chart only opened. */
export function dayStatus(p: TodayPatient): 'signed' | 'open' | 'opened' {
  const visits = p.visits ?? [];
  if (visits.length === 0) return 'opened';
  return visits.every((v) => v.signed) ? 'signed' : 'open';
}

export const statusLabel = { signed: 'Note signed', open: 'Visit open', opened: 'Chart opened' } as const;

/** "09:41" local, for when a chart was last opened today. */
export function openedClock(at: string | null | undefined, tz?: string): string {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz });
}
