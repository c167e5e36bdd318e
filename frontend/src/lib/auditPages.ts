import type { AuditEntry } from '../api/types';

// Paging of the audit viewer. This workstation's log pages by entry number
// (beforeSeq); the practice-wide trail mixes workstations, whose numbers
// overlap, and pages by position (before). The store only reads backwards,
// so "Newer entries" goes back to where an earlier page started: the
// viewer keeps the starts of the pages it walked through.

/** Where a page starts: nothing set is the newest page. */
export interface PageStart {
  beforeSeq: number;
  before: string;
}

export const firstPage: PageStart = { beforeSeq: 0, before: '' };

/** The start of the page after (older than) the entries shown. */
export function olderStart(shown: AuditEntry[], allDevices: boolean): PageStart {
  const last = shown.at(-1);
  if (!last) return firstPage;
  return allDevices ? { beforeSeq: 0, before: last.cursor ?? '' } : { beforeSeq: last.seq, before: '' };
}

/**
 * A page asked for with one entry more than its size: the extra entry only
 * says that an older page exists, and is not shown.
 */
export function splitPage(fetched: AuditEntry[], size: number): { entries: AuditEntry[]; hasOlder: boolean } {
  return { entries: fetched.slice(0, size), hasOlder: fetched.length > size };
}

/** The pages walked through, newest first; the last one is shown. */
export class PageTrail {
  private starts: PageStart[] = [firstPage];

  get current(): PageStart {
    return this.starts[this.starts.length - 1];
  }

  /** 1 for the newest page. */
  get number(): number {
    return this.starts.length;
  }

  get hasNewer(): boolean {
    return this.starts.length > 1;
  }

  older(start: PageStart): void {
    this.starts.push(start);
  }

  newer(): void {
    if (this.starts.length > 1) this.starts.pop();
  }

  reset(): void {
    this.starts = [firstPage];
  }
}
