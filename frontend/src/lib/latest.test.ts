import { describe, expect, it } from 'vitest';
import { latestOnly, stale } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('latestOnly', () => {
  it('drops a slow older response that arrives after a newer one', async () => {
    const pending = new Map<string, ReturnType<typeof deferred<string>>>();
    const search = latestOnly((q: string) => {
      const d = deferred<string>();
      pending.set(q, d);
      return d.promise;
    });
    const first = search('ok');
    const second = search('oka');
    pending.get('oka')!.resolve('results for oka');
    pending.get('ok')!.resolve('results for ok');
    expect(await second).toBe('results for oka');
    expect(await first).toBe(stale);
  });
  it('cancel makes the call in flight stale', async () => {
    const search = latestOnly(async (q: string) => q);
    const p = search('x');
    search.cancel();
    expect(await p).toBe(stale);
  });
  it('rethrows only the latest failure', async () => {
    const search = latestOnly(async (q: string) => {
      throw new Error(q);
    });
    const old = search('old');
    const cur = search('new');
    expect(await old).toBe(stale);
    await expect(cur).rejects.toThrow('new');
  });
});
