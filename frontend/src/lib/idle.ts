/**
 * startIdleTimer calls onIdle after `minutes` without keyboard, pointer or
 * wheel input on target. The backend has its own idle lock; this one makes
 * sure the screen clears even if the backend's event never arrives.
 */
export function startIdleTimer(minutes: number, onIdle: () => void, target: EventTarget = window): () => void {
  const ms = Math.max(1, minutes) * 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'];
  for (const e of events) target.addEventListener(e, reset, { passive: true, capture: true });
  reset();
  return () => {
    clearTimeout(timer);
    for (const e of events) target.removeEventListener(e, reset, { capture: true });
  };
}
