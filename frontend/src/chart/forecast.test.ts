import { describe, expect, it } from 'vitest';
import type { GroupForecast } from '../api/immunize';
import { dueState, notCounted } from './forecast';

const g = (over: Partial<GroupForecast>): GroupForecast => ({
  vaccineGroup: 'DTaP/Tdap/Td',
  status: 'Not Complete',
  recommended: '2026-01-10',
  pastDue: '2026-03-09',
  doses: [],
  ...over,
});

describe('dueState', () => {
  it('is upcoming the day before the recommended date, due on it, overdue on the past-due date', () => {
    expect(dueState(g({}), '2026-01-09')).toBe('upcoming');
    expect(dueState(g({}), '2026-01-10')).toBe('due');
    expect(dueState(g({}), '2026-03-08')).toBe('due');
    expect(dueState(g({}), '2026-03-09')).toBe('overdue');
  });
  it('never calls a complete, immune or aged-out group due', () => {
    expect(dueState(g({ status: 'Complete' }), '2030-01-01')).toBe('done');
    expect(dueState(g({ status: 'Immune' }), '2030-01-01')).toBe('done');
    expect(dueState(g({ status: 'Aged Out' }), '2030-01-01')).toBe('none');
  });
});

describe('notCounted', () => {
  it('lists the doses that were not valid, with their reason', () => {
    const doses = [
      { id: '1', date: '2025-01-01', cvx: '20', status: 'Valid' },
      { id: '2', date: '2025-01-10', cvx: '20', status: 'Not Valid', reason: 'Interval: Too Soon' },
    ];
    expect(notCounted(g({ doses })).map((d) => d.reason)).toEqual(['Interval: Too Soon']);
  });
});
