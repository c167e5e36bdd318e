// The inbox counts on the top bar: refreshed after saves, after each sync
// (the sync:status event), on a slow poll, and when asked. Counts only: no
// patient data, and a failure leaves the last counts showing.
import { onChanged, sync, worklist } from '../api';
import type { InboxCounts } from '../api/worklist';

export const inboxView: { counts: InboxCounts | null } = $state({ counts: null });

const pollMs = 60_000;
const settleMs = 400;

export async function refreshInbox(): Promise<void> {
  try {
    inboxView.counts = await worklist.counts();
  } catch {
    // Locked or not ready: keep what was shown.
  }
}

/** Starts refreshing; returns the stop function. */
export function watchInbox(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Several saves in a row (a note's autosave) make one refresh.
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refreshInbox(), settleMs);
  };
  const offSaved = onChanged(soon);
  const offSync = sync.onStatus((s) => {
    if (s.state !== 'syncing') soon();
  });
  const poll = setInterval(() => void refreshInbox(), pollMs);
  void refreshInbox();
  return () => {
    offSaved();
    offSync();
    clearInterval(poll);
    clearTimeout(timer);
  };
}
