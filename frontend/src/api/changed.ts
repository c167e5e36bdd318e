// Saves tell whoever counts things (the inbox in the top bar) that the
// chart may have changed, without each screen knowing who listens.
type Listener = () => void;
const listeners = new Set<Listener>();

/** Registers fn to run after a save; returns the function that unregisters it. */
export function onChanged(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Called after a successful save. */
export function notifyChanged(): void {
  for (const fn of listeners) fn();
}
