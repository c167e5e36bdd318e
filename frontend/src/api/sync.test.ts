import { describe, expect, it } from 'vitest';
import { fromWireConflict, toWireResolution } from './sync';
import type { RecordConflict } from './syncTypes';

const wire = (shownValue: unknown, others: unknown) =>
  ({
    recordId: 'r', kind: 'patient', patientId: 'p', patientName: 'Ada Okafor', field: 'phone', againstSigned: false,
    shown: { value: shownValue, deviceId: 'd1', userId: 'u1', userName: 'Dana', at: '2026-03-12T10:00:00Z' },
    others,
  }) as unknown as RecordConflict;

describe('conflicts from the wire', () => {
  it('keeps values as sent: a digits-only string stays text, objects stay objects', () => {
    const c = fromWireConflict(wire('5550101', [{ value: { city: 'Riverbend' }, deviceId: 'd2', userId: 'u', userName: 'Kim', at: '' }]));
    expect(c.shown.value).toBe('5550101');
    expect(c.others[0].value).toEqual({ city: 'Riverbend' });
  });
  it('reads a cleared field as null and never leaves others null', () => {
    const c = fromWireConflict(wire(undefined, null));
    expect(c.shown.value).toBeNull();
    expect(c.others).toEqual([]);
  });
});

describe('resolutions to the wire', () => {
  const base = { recordId: 'r', kind: 'patient', field: 'phone', otherIndex: 0 } as const;
  it('sends a merged value as the JSON value itself', () => {
    expect(toWireResolution({ ...base, choice: 'merged', value: '555' }).value).toBe('555');
    expect(toWireResolution({ ...base, choice: 'merged', value: { city: 'X' } }).value).toEqual({ city: 'X' });
    expect(toWireResolution({ ...base, choice: 'merged' }).value).toBe('');
  });
  it('carries the confirmation of an empty merged value, and only then', () => {
    expect(toWireResolution({ ...base, choice: 'merged', value: '', confirmEmpty: true }).confirmEmpty).toBe(true);
    expect('confirmEmpty' in toWireResolution({ ...base, choice: 'merged', value: '' })).toBe(false);
    expect('confirmEmpty' in toWireResolution({ ...base, choice: 'other', confirmEmpty: true })).toBe(false);
  });
  it('sends no value with the other choices', () => {
    expect(toWireResolution({ ...base, choice: 'other', otherIndex: 1, value: 'stray' })).toEqual({ ...base, choice: 'other', otherIndex: 1 });
    expect('value' in toWireResolution({ ...base, choice: 'shown' })).toBe(false);
  });
});
