import { describe, expect, it } from 'vitest';
import type { PregnancyStatus } from '../api/chart';
import { auditCPositive, auditCScore, pregnancyLine } from './history';

describe('history display', () => {
  it('scores AUDIT-C with the threshold by sex', () => {
    const a = { howOften: 2, howMany: 1, sixOrMore: 0 };
    expect(auditCScore(a)).toBe(3);
    expect(auditCPositive(a, 'female')).toBe(true);
    expect(auditCPositive(a, 'male')).toBe(false);
  });

  it('says the pregnancy status, its EDD and when an answer is old', () => {
    const p = (over: Partial<PregnancyStatus>) => ({ date: '2026-11-01', status: 'pregnant', edd: '2027-07-08', comment: '', ...over }) as PregnancyStatus;
    expect(pregnancyLine(p({}), '2026-11-23')).toEqual({ text: 'Pregnant, EDD 8 Jul 2027 (as of 1 Nov 2026)', stale: false });
    expect(pregnancyLine(p({ status: 'not-pregnant', edd: '' }), '2026-11-23').stale).toBe(false);
    expect(pregnancyLine(p({ status: 'not-pregnant', date: '2026-09-01' }), '2026-11-23')).toEqual({
      text: 'Not pregnant (as of 1 Sep 2026, 83 days ago)',
      stale: true,
    });
    expect(pregnancyLine(null, '2026-11-23')).toEqual({ text: 'Not recorded', stale: true });
  });
});
