import { describe, expect, it } from 'vitest';
import type { BackupCheck, BackupRun, BackupStatus } from '../api/backupTypes';
import { backupItemText, backupWarning, checkText, countsText, percent, sizeText } from './format';

const now = new Date('2026-11-23T18:00:00Z');
const check: BackupCheck = { ok: true, problem: '', counts: null, sealsChecked: true, recordsOpened: 340, auditEntries: 1024 };
const run = (at: string, error = ''): BackupRun => ({ at, path: '/media/usb/x.outpost-backup', size: 1, counts: null, seconds: 1, check, error, unattended: false });

function status(over: Partial<BackupStatus['status']> = {}, running = false): BackupStatus {
  return {
    running,
    phase: running ? 'copying' : '',
    fraction: running ? 0.4 : 0,
    available: true,
    status: {
      settings: { folder: '/media/usb', dailyAt: '18:00', onQuit: true, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, warnDays: 2 },
      lastGood: run('2026-11-23T15:00:00Z'),
      lastFailed: null,
      folderMissing: false,
      overdue: false,
      ...over,
    },
  };
}

describe('the backup item of the status strip', () => {
  it('says when the last good backup was, or that a backup runs', () => {
    expect(backupItemText(status(), now)).toBe('Last backup 3 h ago');
    expect(backupItemText(status({}, true), now)).toBe('Backing up: copying the chart 40%');
    expect(backupItemText(status({ lastGood: null, overdue: true }), now)).toBe('No backup yet');
  });

  it('warns in words with what to do, most urgent first', () => {
    expect(backupWarning(status(), now)).toBe('');
    expect(backupWarning(status({ folderMissing: true }), now)).toMatch(/not plugged in \(\/media\/usb\)/);
    expect(backupWarning(status({ lastFailed: run('2026-11-23T17:00:00Z', 'The backup drive is full.') }), now)).toBe(
      'The last backup failed: The backup drive is full.',
    );
    expect(backupWarning(status({ overdue: true, lastGood: run('2026-11-20T10:00:00Z') }), now)).toMatch(/^No backup for 3 days/);
    expect(backupWarning(status({ overdue: true, lastGood: null }), now)).toMatch(/no backup of this chart yet/);
    const noFolder = status();
    noFolder.status.settings.folder = '';
    expect(backupWarning(noFolder, now)).toMatch(/No backup folder is chosen/);
    expect(backupWarning(status({ folderMissing: true }, true), now)).toBe('');
  });
});

describe('backup details', () => {
  it('counts in a fixed order with plurals', () => {
    expect(countsText({ records: 340, patients: 1, auditEntries: 1, signedNotes: 2, changes: 9, attachments: 0 })).toBe(
      '1 patient, 340 records, 2 signed notes, 1 audit entry',
    );
    expect(countsText({ patients: 0, records: 0 })).toBe('0 patients');
    expect(countsText(null)).toBe('');
  });

  it('says what a check found', () => {
    expect(checkText(check)).toBe('Verified: all 340 records open with the practice key and the audit log (1024 entries) is intact.');
    expect(checkText({ ...check, sealsChecked: false })).toMatch(/seals are checked at the next sign-in/);
    expect(checkText({ ...check, ok: false, problem: 'The backup x is damaged.' })).toBe('Damaged: The backup x is damaged.');
  });

  it('sizes and percentages', () => {
    expect(sizeText(1_400_000)).toBe('1.4 MB');
    expect(sizeText(730_000)).toBe('730 KB');
    expect(sizeText(12)).toBe('1 KB');
    expect(percent(0.404)).toBe(40);
    expect(percent(7)).toBe(100);
    expect(percent(Number.NaN)).toBe(0);
  });
});
