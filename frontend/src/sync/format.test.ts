import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../api/syncTypes';
import {
  conflictTitle,
  fieldLabel,
  filterConflicts,
  groupByPatient,
  humanize,
  lastSyncedText,
  localDay,
  overdueText,
  pendingText,
  progressPercent,
  relativeTime,
  renderValue,
  stateWords,
  whoWhen,
} from './format';

const now = new Date('2026-03-12T15:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    configured: true,
    serverAddr: '10.0.0.2:8443',
    state: 'idle',
    online: true,
    running: false,
    progress: 0,
    phase: '',
    pending: 0,
    lastSync: '',
    lastError: '',
    openConflicts: 0,
    held: 0,
    keyChangeDue: false,
    daysSinceSync: 0,
    warnDays: 3,
    overdue: false,
    ...over,
  };
}

describe('relativeTime', () => {
  it('says how long ago in words', () => {
    expect(relativeTime(ago(20_000), now)).toBe('just now');
    expect(relativeTime(ago(5 * 60_000), now)).toBe('5 min ago');
    expect(relativeTime(ago(3 * 3600_000 + 59 * 60_000), now)).toBe('3 h ago');
    expect(relativeTime(ago(30 * 3600_000), now)).toBe('yesterday');
    expect(relativeTime(ago(4 * 86400_000 + 1000), now)).toBe('4 days ago');
  });
  it('treats a time slightly in the future (clock skew) as just now', () => {
    expect(relativeTime(new Date(now.getTime() + 90_000).toISOString(), now)).toBe('just now');
  });
  it('gives nothing for never or garbage', () => {
    expect(relativeTime('', now)).toBe('');
    expect(relativeTime('yesterday-ish', now)).toBe('');
    expect(lastSyncedText('', now)).toBe('Never synced');
    expect(lastSyncedText(ago(3 * 3600_000), now)).toBe('Last synced 3 h ago');
  });
});

describe('status words', () => {
  it('counts waiting changes', () => {
    expect(pendingText(0)).toBe('No changes waiting');
    expect(pendingText(1)).toBe('1 change waiting');
    expect(pendingText(42)).toBe('42 changes waiting');
  });
  it('names every state in words, not colour alone', () => {
    expect(stateWords(status()).label).toBe('Online');
    expect(stateWords(status({ online: false })).label).toBe('Offline');
    expect(stateWords(status({ state: 'offline', online: false }))).toEqual({ label: 'Offline', tone: 'off' });
    expect(stateWords(status({ state: 'syncing', phase: 'receiving' })).label).toBe('Syncing: receiving changes');
    expect(stateWords(status({ state: 'syncing', phase: 'merging' })).label).toBe('Syncing: opening the charts received');
    expect(stateWords(status({ state: 'error' })).tone).toBe('bad');
    expect(stateWords(status({ state: 'not_configured', configured: false })).label).toMatch(/Not connected/);
  });
  it('clamps progress to 0..100', () => {
    expect(progressPercent(0.456)).toBe(46);
    expect(progressPercent(2)).toBe(100);
    expect(progressPercent(-1)).toBe(0);
    expect(progressPercent(Number.NaN)).toBe(0);
  });
  it('warns an overdue workstation with the days and what to do', () => {
    expect(overdueText(status({ overdue: false, daysSinceSync: 9 }))).toBe('');
    const t = overdueText(status({ overdue: true, daysSinceSync: 5, warnDays: 3 }));
    expect(t).toMatch(/has not synced for 5 days/);
    expect(t).toMatch(/every 3 days/);
    expect(t).toMatch(/Sync now/);
    expect(overdueText(status({ overdue: true, daysSinceSync: -1, warnDays: 1 }))).toMatch(/has never synced.*every 1 day\b/);
  });
  it('writes a local YYYY-MM-DD day', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('conflict values', () => {
  it('renders strings, empties, objects of strings and note sections as readable lines', () => {
    expect(renderValue('555 0101')).toEqual(['555 0101']);
    expect(renderValue('')).toEqual(['(empty)']);
    expect(renderValue(null)).toEqual(['(empty)']);
    expect(renderValue(42)).toEqual(['42']);
    expect(renderValue({ line1: '1 Main St', city: 'Riverbend', postalCode: '' })).toEqual([
      'Line1: 1 Main St',
      'City: Riverbend',
    ]);
    expect(
      renderValue([
        { key: 'subjective', label: 'Subjective', text: 'Cough 3 days' },
        { key: 'plan', label: '', text: 'Fluids' },
        { key: 'objective', label: 'Objective', text: '' },
      ]),
    ).toEqual(['Subjective: Cough 3 days', 'Plan: Fluids']);
    expect(renderValue([1, 2])).toEqual(['[1,2]']);
  });
  it('labels fields with the words of the forms', () => {
    expect(fieldLabel('patient', 'phone')).toBe('Phone');
    expect(fieldLabel('patient', 'emergencyContact')).toBe('Emergency contact');
    expect(fieldLabel('note', 'sections')).toBe('Note text');
    expect(fieldLabel('allergy', 'reactionSeverity')).toBe('Reaction severity');
    expect(humanize('postal_code')).toBe('Postal code');
  });
  it('says who changed it, where and when', () => {
    const v = { value: 'x', deviceId: '01a20870-1234-7abc-8def-0123459f3c2a', deviceName: '', userId: 'u', userName: 'Dr Lee', at: '' };
    expect(whoWhen(v)).toBe('Dr Lee on workstation …9f3c2a');
    expect(whoWhen({ ...v, deviceName: 'Front desk' })).toBe('Dr Lee on workstation Front desk');
    expect(whoWhen({ ...v, deviceId: '', userName: '' })).toBe('Unknown user');
  });
  it('titles a card with its record and field', () => {
    expect(conflictTitle({ kind: 'allergy', field: 'reaction', recordLabel: 'Allergy: Penicillin' })).toBe('Allergy: Penicillin — reaction');
    expect(conflictTitle({ kind: 'patient', field: 'phone', recordLabel: 'Demographics' })).toBe('Demographics — phone');
    expect(conflictTitle({ kind: 'patient', field: 'emergencyContact', recordLabel: 'Demographics' })).toBe('Demographics — emergency contact');
    // A record that does not open here is named by its kind.
    expect(conflictTitle({ kind: 'medication', field: 'dose', recordLabel: '' })).toBe('Medication — dose');
  });
  it('filters conflicts to one patient or one record', () => {
    const list = [
      { patientId: 'p1', recordId: 'r1' },
      { patientId: 'p1', recordId: 'r2' },
      { patientId: 'p2', recordId: 'r3' },
    ];
    expect(filterConflicts(list, {})).toHaveLength(3);
    expect(filterConflicts(list, { patientId: 'p1' }).map((c) => c.recordId)).toEqual(['r1', 'r2']);
    expect(filterConflicts(list, { patientId: 'p1', recordId: 'r2' }).map((c) => c.recordId)).toEqual(['r2']);
    expect(filterConflicts(list, { recordId: 'r9' })).toEqual([]);
  });
  it('groups conflicts by patient, practice-wide ones last', () => {
    const g = groupByPatient([
      { patientId: '', patientName: '', n: 1 },
      { patientId: 'p1', patientName: 'Ada Okafor', n: 2 },
      { patientId: 'p2', patientName: 'Ben Ruiz', n: 3 },
      { patientId: 'p1', patientName: 'Ada Okafor', n: 4 },
    ]);
    expect(g.map((x) => [x.patientName, x.items.map((i) => i.n)])).toEqual([
      ['Ada Okafor', [2, 4]],
      ['Ben Ruiz', [3]],
      ['Practice settings', [1]],
    ]);
  });
});
