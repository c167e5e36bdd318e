// The workstation's sync status, kept fresh from the sync:status event and
// a slow poll (days-since-sync and "3 h ago" change without events). It
// holds counts and times only, no patient data, so it survives a lock.
import { decodeError, sync, type SyncStatus } from '../api';
import { statusFeed } from './statusFeed';

export interface SyncView {
  status: SyncStatus | null;
  /** Ticks every poll so relative times re-render. */
  now: Date;
  /** Why the last Sync now failed, for the strip. */
  error: string;
  busy: boolean;
}

export const syncView: SyncView = $state({ status: null, now: new Date(), error: '', busy: false });

const pollMs = 30_000;

const feed = statusFeed(sync.status, (s) => {
  syncView.status = s;
});

export async function refreshSyncStatus(): Promise<void> {
  try {
    await feed.refresh();
  } catch {
    // Not available (yet): the strip stays as it was rather than flickering.
  }
  syncView.now = new Date();
}

/** Subscribes to status events and polls; returns the stop function. */
export function watchSync(): () => void {
  const off = sync.onStatus((s) => {
    feed.event(s);
    syncView.now = new Date();
  });
  void refreshSyncStatus();
  const timer = setInterval(() => void refreshSyncStatus(), pollMs);
  return () => {
    off();
    clearInterval(timer);
  };
}

/** Runs a sync now; its outcome lands in syncView (never throws). */
export async function syncNow(): Promise<void> {
  if (syncView.busy) return;
  syncView.busy = true;
  syncView.error = '';
  try {
    syncView.status = await sync.syncNow();
  } catch (e) {
    syncView.error = decodeError(e).message;
    await refreshSyncStatus();
  } finally {
    syncView.busy = false;
  }
}

/** Adopts a status a Connect or Join answered with. */
export function setSyncStatus(s: SyncStatus): void {
  syncView.status = s;
  syncView.now = new Date();
}
