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
