import { EventsOn } from '../../wailsjs/runtime/runtime';

export interface LockedEvent {
  reason: 'idle' | 'manual' | string;
}

/** Calls fn when the backend locks by itself; returns the unsubscribe. */
export function onLocked(fn: (e: LockedEvent) => void): () => void {
  return EventsOn('session:locked', (data: unknown) => {
    const reason = typeof data === 'object' && data !== null ? String((data as LockedEvent).reason ?? '') : '';
    fn({ reason });
  });
}

/** Calls fn when the window is closing: save every draft and lock, which lets it close. */
export function onClosing(fn: () => void): () => void {
  return EventsOn('app:closing', () => fn());
}
