import { describe, expect, it } from 'vitest';
import { statusFeed } from './statusFeed';

// A backend answered by hand: each ask waits until the test resolves it.
function backend() {
  const pending: ((s: string) => void)[] = [];
  const ask = () => new Promise<string>((resolve) => pending.push(resolve));
  return { ask, answer: (s: string) => pending.shift()!(s) };
}

describe('statusFeed', () => {
  it('adopts a reply when no event came in while it was in flight', async () => {
    const b = backend();
    const shown: string[] = [];
    const feed = statusFeed(b.ask, (s) => shown.push(s));
    const asked = feed.refresh();
    b.answer('idle');
    await asked;
    expect(shown).toEqual(['idle']);
  });

  it('drops a reply overtaken by an event: the window keeps the newer state', async () => {
    const b = backend();
    const shown: string[] = [];
    const feed = statusFeed(b.ask, (s) => shown.push(s));
    const asked = feed.refresh(); // read while the sync ran…
    feed.event('idle'); // …the sync ends and says so…
    b.answer('syncing'); // …then the reply arrives
    await asked;
    expect(shown).toEqual(['idle']);
    const again = feed.refresh(); // the next poll is adopted
    b.answer('idle, 1 min ago');
    await again;
    expect(shown.at(-1)).toBe('idle, 1 min ago');
  });

  it('passes a failed ask on and changes nothing', async () => {
    const shown: string[] = [];
    const feed = statusFeed(() => Promise.reject(new Error('locked')), (s: string) => shown.push(s));
    await expect(feed.refresh()).rejects.toThrow('locked');
    expect(shown).toEqual([]);
  });
});
