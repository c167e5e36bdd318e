// The history records as the screen shows them: the AUDIT-C questions and
// score, and the pregnancy status line (which the summary strip and the
// medication form show, since it matters to prescribing).
import type { AuditC, PregnancyStatus } from '../api/chart';
import { when } from './forms';

/** The three AUDIT-C questions, each answer scored 0 to 4 (WHO AUDIT). */
export const auditCQuestions: { key: keyof AuditC; label: string; answers: string[] }[] = [
  { key: 'howOften', label: 'How often do you have a drink containing alcohol?',
    answers: ['Never', 'Monthly or less', '2–4 times a month', '2–3 times a week', '4 or more times a week'] },
  { key: 'howMany', label: 'How many drinks containing alcohol do you have on a typical day when you are drinking?',
    answers: ['1 or 2', '3 or 4', '5 or 6', '7 to 9', '10 or more'] },
  { key: 'sixOrMore', label: 'How often do you have six or more drinks on one occasion?',
    answers: ['Never', 'Less than monthly', 'Monthly', 'Weekly', 'Daily or almost daily'] },
];

export const auditCScore = (a: AuditC) => a.howOften + a.howMany + a.sixOrMore;

/** Positive screen: 4 or more for men, 3 or more otherwise (chart.AuditC.Positive). */
export const auditCPositive = (a: AuditC, sex: string) => auditCScore(a) >= (sex === 'male' ? 4 : 3);

const statusWords: Record<string, string> = { pregnant: 'Pregnant', 'not-pregnant': 'Not pregnant', unknown: 'Unknown' };

/** How old a status may be before it is flagged as needing to be asked again. */
export const pregnancyStaleDays = 30;

function daysBetween(fromISO: string, toISO: string): number {
  const a = Date.parse(`${fromISO}T00:00:00Z`);
  const b = Date.parse(`${toISO}T00:00:00Z`);
  return Number.isNaN(a) || Number.isNaN(b) ? 0 : Math.round((b - a) / 86_400_000);
}

/**
 * "Pregnant, EDD 8 Jul 2027 (as of 23 Nov 2026)"; "Not recorded" when
 * there is none. A status other than pregnant older than 30 days says so:
 * it should be asked again before prescribing.
 */
export function pregnancyLine(p: PregnancyStatus | null | undefined, today: string): { text: string; stale: boolean } {
  if (!p) return { text: 'Not recorded', stale: true };
  const edd = p.status === 'pregnant' && p.edd ? `, EDD ${when(p.edd)}` : '';
  const age = daysBetween(p.date, today);
  const stale = p.status !== 'pregnant' && age > pregnancyStaleDays;
  return { text: `${statusWords[p.status] ?? p.status}${edd} (as of ${when(p.date)}${stale ? `, ${age} days ago` : ''})`, stale };
}
