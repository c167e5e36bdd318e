import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/types';
import { firstPage, olderStart, PageTrail, splitPage } from './auditPages';

const entry = (seq: number, cursor = ''): AuditEntry => ({
  seq, at: '2026-03-14T12:00:00Z', userId: 'u', username: 'sam', action: 'chart open', detail: '', deviceId: 'd', hash: 'h', cursor,
}); // prettier-ignore

describe('audit paging', () => {
  it('starts the older page after the last entry shown, by seq here and by position practice-wide', () => {
    const shown = [entry(9, 'c9'), entry(8, 'c8')];
    expect(olderStart(shown, false)).toEqual({ beforeSeq: 8, before: '' });
    expect(olderStart(shown, true)).toEqual({ beforeSeq: 0, before: 'c8' });
    expect(olderStart([], false)).toEqual(firstPage);
  });

  it('shows a page of its size and keeps the extra entry only as "there is more"', () => {
    const fetched = [entry(5), entry(4), entry(3)];
    expect(splitPage(fetched, 2)).toEqual({ entries: [entry(5), entry(4)], hasOlder: true });
    expect(splitPage(fetched, 3)).toEqual({ entries: fetched, hasOlder: false });
  });

  it('walks older and back newer to the same starts', () => {
    const trail = new PageTrail();
    expect(trail.hasNewer).toBe(false);
    trail.older({ beforeSeq: 8, before: '' });
    trail.older({ beforeSeq: 4, before: '' });
    expect(trail.number).toBe(3);
    trail.newer();
    expect(trail.current).toEqual({ beforeSeq: 8, before: '' });
    trail.newer();
    trail.newer();
    expect(trail.current).toEqual(firstPage);
    expect(trail.number).toBe(1);
    trail.older({ beforeSeq: 2, before: '' });
    trail.reset();
    expect(trail.current).toEqual(firstPage);
  });
});
