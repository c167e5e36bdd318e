import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../api/interopTypes';
import { countsAddUp, importPercent, progressText, reasonsText, summaryText, typeRows } from './format';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  id: 'r1',
  startedAt: '2026-12-05T05:00:00Z',
  finishedAt: '2026-12-05T05:00:04Z',
  by: 'ada',
  files: [],
  patients: { created: 3, matched: 1, held: 0, failed: 0 },
  totals: null,
  entries: 1204,
  seconds: 4.25,
  ...over,
});

describe('import progress', () => {
  it('is a bounded percent of the bytes read', () => {
    const p = { file: '', filesDone: 0, files: 1, entries: 0, patients: 0, bytesDone: 50, bytes: 200 };
    expect(importPercent(p)).toBe(25);
    expect(importPercent({ ...p, bytes: 0 })).toBe(0);
    expect(importPercent({ ...p, bytesDone: 500 })).toBe(100);
  });
  it('names the file being read and counts', () => {
    const p = { file: '/media/usb/export/Patient.ndjson', filesDone: 1, files: 5, entries: 1, patients: 12, bytesDone: 0, bytes: 0 };
    expect(progressText(p)).toBe('File 2 of 5: Patient.ndjson — 1 entry, 12 patients');
    expect(progressText({ ...p, files: 0 })).toMatch(/^Finding the files/);
  });
});

describe('import report', () => {
  it('says what happened in a sentence', () => {
    expect(summaryText(report())).toBe(
      'Import finished: 1,204 entries read in 4.3 s; 3 new patients, 1 patient matched to existing charts.',
    );
    const held = summaryText(report({ cancelled: true, patients: { created: 0, matched: 0, held: 2, failed: 1 } }));
    expect(held).toContain('Import cancelled after');
    expect(held).toContain('2 patients waiting in the match queue');
    expect(held).toContain('1 patient not imported');
  });
  it('lists types with failures first, then the most read', () => {
    const c = (read: number, failed = 0) => ({ read, imported: read - failed, merged: 0, skipped: 0, failed });
    const rows = typeRows({ Observation: c(900), Patient: c(3), Condition: c(40, 2) });
    expect(rows.map((r) => r.type)).toEqual(['Condition', 'Observation', 'Patient']);
    expect(typeRows(null)).toEqual([]);
  });
  it('orders skip reasons by count', () => {
    expect(reasonsText({ 'reference data': 3, 'no home in Outpost': 12 })).toBe('no home in Outpost (12), reference data (3)');
  });
  it('checks that the counts add up', () => {
    expect(countsAddUp({ read: 5, imported: 2, merged: 1, skipped: 1, failed: 1 })).toBe(true);
    expect(countsAddUp({ read: 5, imported: 2, merged: 1, skipped: 1, failed: 0 })).toBe(false);
  });
});
