// Loading the open chart's lists on demand. A chart can be locked, closed or
// swapped for another while a load is still in flight; an answer that comes
// back after that must never write patient data into the wiped store, so
// every answer is checked against a generation counter before it is applied.

/** Fetches one list and returns how to apply it, so applying can be refused. */
export type Fetch = (patientId: string) => Promise<() => void>;

/** The human message of a failed load. */
export function failureMessage(reason: unknown): string {
  return (reason as { message?: string })?.message ?? String(reason);
}

export class LazyLists<N extends string> {
  #generation = 0;
  #started = new Set<N>();
  /** The newest request per list, so an older answer never overwrites a newer one. */
  #latest = new Map<N, number>();
  #requests = 0;

  constructor(
    private readonly fetchers: Record<N, Fetch>,
    private readonly onLoaded: (name: N) => void,
  ) {}

  /** Drops everything in flight and forgets what was loaded; returns the new generation. */
  reset(): number {
    this.#started.clear();
    this.#latest.clear();
    return ++this.#generation;
  }

  /** Whether an answer started in generation g may still be applied. */
  isCurrent(g: number): boolean {
    return g === this.#generation;
  }

  /** Loads the lists not loaded (or loading) since the last reset; resolves to failure messages. */
  ensure(patientId: string, names: readonly N[]): Promise<string[]> {
    return this.load(patientId, names.filter((n) => !this.#started.has(n)));
  }

  /**
   * Loads the lists (again). A list that fails does not hide the others; a
   * failed list may be retried by the next ensure. Resolves to the distinct
   * failure messages of this generation.
   */
  async load(patientId: string, names: readonly N[]): Promise<string[]> {
    const failures = await this.#settle(patientId, names);
    return [...new Set(failures.map(failureMessage))];
  }

  /** Like load, but rejects with the first failure as it came from the backend. */
  async reload(patientId: string, names: readonly N[]): Promise<void> {
    const [first] = await this.#settle(patientId, names);
    if (first !== undefined) throw first;
  }

  /** The rejection reasons of this generation's loads (none once it is over). */
  async #settle(patientId: string, names: readonly N[]): Promise<unknown[]> {
    const generation = this.#generation;
    const settled = await Promise.allSettled([...new Set(names)].map((n) => this.#loadOne(patientId, n, generation)));
    if (!this.isCurrent(generation)) return [];
    return settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((f) => f.reason);
  }

  async #loadOne(patientId: string, name: N, generation: number): Promise<void> {
    const request = ++this.#requests;
    this.#started.add(name);
    this.#latest.set(name, request);
    const fresh = () => this.isCurrent(generation) && this.#latest.get(name) === request;
    try {
      const apply = await this.fetchers[name](patientId);
      if (!fresh()) return;
      apply();
    } catch (e) {
      // Shown as loaded (empty) with the failure alert, as before lazy
      // loading; the next time its tab opens it is tried again.
      if (fresh()) this.#started.delete(name);
      else return;
      this.onLoaded(name);
      throw e;
    }
    this.onLoaded(name);
  }
}
