// This workstation's backup status, kept fresh from the backup:status event
// and a slow poll ("3 h ago" and a drive plugged in change without
// events). Counts, times and a folder name only: it survives a lock.
import { backups, type BackupStatus } from '../api';
import { statusFeed } from './statusFeed';

export interface BackupView {
  status: BackupStatus | null;
  /** Ticks every poll so relative times re-render. */
  now: Date;
}

export const backupView: BackupView = $state({ status: null, now: new Date() });

const pollMs = 60_000;

const feed = statusFeed(backups.status, (s) => {
  backupView.status = s;
});

export async function refreshBackupStatus(): Promise<void> {
  try {
    await feed.refresh();
  } catch {
    // Not available (yet): the item stays as it was.
  }
  backupView.now = new Date();
}

/** Subscribes to status events and polls; returns the stop function. */
export function watchBackups(): () => void {
  const off = backups.onStatus((s) => {
    feed.event(s);
    backupView.now = new Date();
  });
  void refreshBackupStatus();
  const timer = setInterval(() => void refreshBackupStatus(), pollMs);
  return () => {
    off();
    clearInterval(timer);
  };
}
