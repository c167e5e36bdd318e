// Lists that new syncs can grow (conflicts, held-back changes) reload when
// the count the sync strip carries moves.

/**
 * Calls load whenever count() changes after the first reading. Call it
 * during a component's initialisation (it registers an effect).
 */
export function reloadWhenChanged(count: () => number, load: () => void): void {
  let seen = -1;
  $effect(() => {
    const n = count();
    if (seen !== -1 && n !== seen) load();
    seen = n;
  });
}
