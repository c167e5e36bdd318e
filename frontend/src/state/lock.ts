// Locking: one path for the Lock button, Ctrl+L, the idle timer, the window
// closing and the backend's session:locked event. Whatever triggers it,
// every pending draft is saved before the backend drops the key: typing and
// then locking at once must not lose the last seconds of text.
import { session } from '../api';
import { auth } from './auth.svelte';
import { clearChartState } from './chart.svelte';
import { go } from './route.svelte';

type Flush = () => Promise<unknown>;

const flushes = new Set<Flush>();

/** Registers work a lock must wait for (an autosaved draft's flush); returns the unregister. */
export function beforeLock(flush: Flush): () => void {
  flushes.add(flush);
  return () => flushes.delete(flush);
}

/**
 * How long a lock waits for drafts to save. A save is a local SQLite write
 * (milliseconds); a backend that does not answer must not keep the chart
 * on screen.
 */
export const flushTimeoutMs = 5000;

/** Saves every pending draft; resolves when all have settled or the timeout passed. */
export async function flushDrafts(timeoutMs = flushTimeoutMs): Promise<void> {
  const all = Promise.allSettled([...flushes].map((f) => Promise.resolve().then(f)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
  await Promise.race([all, timeout]);
  clearTimeout(timer);
}

let locking: Promise<void> | null = null;

/**
 * Saves every pending draft, wipes chart data and shows sign-in, then tells
 * the backend (unless it told us). A second trigger while locking joins the
 * first.
 */
export function lockNow(reason: 'manual' | 'idle', tellBackend = true, backendLock: () => Promise<unknown> = session.lock): Promise<void> {
  locking ??= (async () => {
    try {
      await flushDrafts();
      wipeAndShowSignIn(reason);
      if (tellBackend) await backendLock();
    } catch {
      // Already locked on the backend: the screen is locked either way.
    } finally {
      locking = null;
    }
  })();
  return locking;
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
