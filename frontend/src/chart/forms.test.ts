import { describe, expect, it } from 'vitest';
import { attempt, formState, nowLocal, today, when } from './forms';

describe('form helpers', () => {
  it('puts a backend error next to its field, or in the form alert', async () => {
    const st = formState();
    const bad = () => Promise.reject(new Error('{"code":"invalid","message":"The dose must be a number.","field":"dose"}'));
    expect(await attempt(st, ['dose'], bad)).toBeUndefined();
    expect(st).toEqual({ fields: { dose: 'The dose must be a number.' }, form: '', busy: false, failed: true });
    await attempt(st, ['unit'], bad);
    expect(st.fields).toEqual({});
    expect(st.form).toBe('The dose must be a number.');
    expect(await attempt(st, [], async () => 5)).toBe(5);
    expect(st.failed).toBe(false);
    expect(st.form).toBe('');
  });

  it('writes local date-times the way Go reads them', () => {
    const d = new Date(2026, 10, 3, 7, 5);
    expect(nowLocal(d)).toBe('2026-11-03T07:05');
    expect(today(d)).toBe('2026-11-03');
  });

  it('shows local and RFC 3339 times alike, and dates without a time', () => {
    expect(when('2026-11-03T07:05')).toBe('3 Nov 2026 07:05');
    expect(when('2026-11-03')).toBe('3 Nov 2026');
    expect(when(new Date(2026, 0, 2, 13, 4).toISOString())).toBe('2 Jan 2026 13:04');
    expect(when('')).toBe('');
    expect(when('not a time')).toBe('not a time');
  });
});
