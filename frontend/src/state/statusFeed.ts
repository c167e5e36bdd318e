// One status the backend both announces (events, sent in the order it read
// them) and answers when asked (the polls that keep "3 h ago" fresh, and a
// refresh after an action). A reply was read at some moment while it was in
// flight: an event that arrives meanwhile may be newer, so the reply is
// then dropped rather than put the window back a state — until the next
// poll, 30 s later, the strip said "syncing" after the sync had ended.
export interface StatusFeed<T> {
  /** Adopts a status the backend announced. */
  event(s: T): void;
  /** Asks for the status; adopts it unless an event came in meanwhile. Throws what ask throws. */
  refresh(): Promise<void>;
}

export function statusFeed<T>(ask: () => Promise<T>, adopt: (s: T) => void): StatusFeed<T> {
  let events = 0;
  return {
    event(s) {
      events++;
      adopt(s);
    },
    async refresh() {
      const before = events;
      const s = await ask();
      if (events === before) adopt(s);
    },
  };
}
