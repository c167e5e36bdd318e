// Locking: one path for the Lock button, Ctrl+L, the idle timer and the
// backend's session:locked event.
import { session } from '../api';
import { auth } from './auth.svelte';
import { clearChartState } from './chart.svelte';
import { go } from './route.svelte';

/** Wipes chart data and shows sign-in; the backend is told unless it told us. */
export async function lockNow(reason: 'manual' | 'idle', tellBackend = true): Promise<void> {
  wipeAndShowSignIn(reason);
  if (tellBackend) {
    try {
      await session.lock();
    } catch {
      // Already locked on the backend: the screen is locked either way.
    }
  }
}

export function wipeAndShowSignIn(reason: string): void {
  clearChartState();
  go({ name: 'list' });
  if (auth.user) auth.lastUsername = auth.user.username;
  auth.user = null;
  auth.practice = null;
  auth.recoveryKey = '';
  auth.notice =
    reason === 'idle' ? 'Outpost locked itself because nobody used it for a while. Sign in to continue.' : '';
  auth.phase = 'sign-in';
}
