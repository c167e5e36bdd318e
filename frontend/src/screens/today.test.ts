import { describe, expect, it } from 'vitest';
import type { TodayPatient } from '../api/chart';
import { clock, dayStatus, openedClock, visitText } from './today';

const visit = (signed: boolean) => ({ encounterId: 'e', start: '2026-11-23T08:30', type: 'office' as const, reason: 'Cough', clinicianName: 'Dr R', signed });
const patient = (visits: ReturnType<typeof visit>[] | null) => ({ patient: {}, visits }) as unknown as TodayPatient;

describe("today's patients", () => {
  it('describes a visit', () => {
    expect(clock('2026-11-23T08:30')).toBe('08:30');
    expect(visitText(visit(false))).toBe('Office visit — Cough · Dr R');
    expect(visitText({ ...visit(false), reason: '', clinicianName: '' })).toBe('Office visit');
  });

  it('says where the day stands', () => {
    expect(dayStatus(patient(null))).toBe('opened');
    expect(dayStatus(patient([visit(true), visit(false)]))).toBe('open');
    expect(dayStatus(patient([visit(true)]))).toBe('signed');
  });

  it('shows when a chart was opened, in local time', () => {
    expect(openedClock('2026-11-23T09:41:00Z', 'UTC')).toBe('09:41');
    expect(openedClock(null)).toBe('');
  });
});
