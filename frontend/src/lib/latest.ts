/**
 * latestOnly wraps an async function so only the most recent call's result
 * is delivered: an older, slower search response can never overwrite the
 * results of what the user has typed since. Superseded calls resolve to
 * `stale`.
 */
export const stale = Symbol('stale');

export function latestOnly<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  let seq = 0;
  const wrapped = async (...args: A): Promise<R | typeof stale> => {
    const mine = ++seq;
    try {
      const r = await fn(...args);
      return mine === seq ? r : stale;
    } catch (e) {
      if (mine !== seq) return stale;
      throw e;
    }
  };
  /** Makes every call in flight stale (e.g. when the query is cleared). */
  wrapped.cancel = () => {
    seq++;
  };
  return wrapped;
}
