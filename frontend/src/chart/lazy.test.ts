import { describe, expect, it } from 'vitest';
import { type Fetch, LazyLists } from './lazy';

/** A fetch answered by hand, recording what got applied into `state`. */
function manual(state: Record<string, string>, name: string) {
  const pending: { resolve: (v: string) => void; reject: (e: Error) => void; id: string }[] = [];
  const fetch: Fetch = (id) =>
    new Promise((resolve, reject) =>
      pending.push({ id, reject, resolve: (v) => resolve(() => (state[name] = v)) }),
    );
  return { fetch, pending };
}

function setup() {
  const state: Record<string, string> = {};
  const loaded: string[] = [];
  const a = manual(state, 'a');
  const b = manual(state, 'b');
  const lists = new LazyLists({ a: a.fetch, b: b.fetch }, (n) => loaded.push(n));
  return { state, loaded, a, b, lists };
}

describe('LazyLists', () => {
  it('loads each list once per chart open and applies the answer', async () => {
    const { state, loaded, a, lists } = setup();
    const first = lists.ensure('p1', ['a']);
    const again = lists.ensure('p1', ['a']);
    expect(a.pending).toHaveLength(1);
    a.pending[0].resolve('A1');
    expect(await first).toEqual([]);
    expect(await again).toEqual([]);
    expect(state).toEqual({ a: 'A1' });
    expect(loaded).toEqual(['a']);
  });

  it('drops an answer that arrives after a reset (lock or another chart)', async () => {
    const { state, loaded, a, b, lists } = setup();
    const pending = lists.ensure('p1', ['a', 'b']);
    lists.reset();
    a.pending[0].resolve('stale patient data');
    b.pending[0].reject(new Error('stale failure'));
    expect(await pending).toEqual([]);
    expect(state).toEqual({});
    expect(loaded).toEqual([]);
    // After the reset the list is fetched afresh for the new chart.
    const next = lists.ensure('p2', ['a']);
    expect(a.pending).toHaveLength(2);
    expect(a.pending[1].id).toBe('p2');
    a.pending[1].resolve('A2');
    await next;
    expect(state).toEqual({ a: 'A2' });
  });

  it('reports failures without hiding the other lists, and retries a failed list', async () => {
    const { state, loaded, a, b, lists } = setup();
    const pending = lists.ensure('p1', ['a', 'b']);
    a.pending[0].reject(new Error('Encounters could not be read.'));
    b.pending[0].resolve('B1');
    expect(await pending).toEqual(['Encounters could not be read.']);
    expect(state).toEqual({ b: 'B1' });
    expect(loaded.sort()).toEqual(['a', 'b']);
    void lists.ensure('p1', ['a', 'b']);
    expect(a.pending).toHaveLength(2);
    expect(b.pending).toHaveLength(1);
  });

  it('never lets an older answer overwrite a newer one', async () => {
    const { state, a, lists } = setup();
    const older = lists.ensure('p1', ['a']);
    const newer = lists.load('p1', ['a']);
    a.pending[1].resolve('after the save');
    a.pending[0].resolve('before the save');
    await Promise.all([older, newer]);
    expect(state).toEqual({ a: 'after the save' });
  });

  it('reload rejects with the backend error itself, for the form to decode', async () => {
    const { a, b, lists } = setup();
    const backendError = new Error('{"code":"conflict","message":"Changed meanwhile."}');
    const reloading = lists.reload('p1', ['a', 'b']);
    a.pending[0].resolve('A1');
    b.pending[0].reject(backendError);
    await expect(reloading).rejects.toBe(backendError);
  });

  it('tells whether a generation is still current', () => {
    const { lists } = setup();
    const g = lists.reset();
    expect(lists.isCurrent(g)).toBe(true);
    lists.reset();
    expect(lists.isCurrent(g)).toBe(false);
  });
});
