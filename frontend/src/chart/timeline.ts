// The chart timeline: encounters and notes, newest first.
import type { Encounter, Note } from '../api/chart';

export interface TimelineEntry {
  kind: 'encounter' | 'note';
  id: string;
  /** Local "YYYY-MM-DDTHH:MM" (encounters) or an RFC 3339 time (notes). */
  at: string;
  title: string;
  detail: string;
  status: string;
  /** Set for an encounter or note that could not be opened: shown as its placeholder. */
  damaged?: string;
}

/** How many of the newest entries a long timeline shows before "Show older". */
export const firstPageSize = 50;

/** Milliseconds for either time form; unreadable times sort last. */
export function timeOf(at: string): number {
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at) ? new Date(`${at}:00`).getTime() : new Date(at).getTime();
  return Number.isNaN(t) ? -Infinity : t;
}

/** Newest first; ties keep encounters before their notes, then by id for stability. */
export function sortTimeline<T extends { at: string; kind: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const d = timeOf(b.at) - timeOf(a.at);
    if (d !== 0 && !Number.isNaN(d)) return d;
    if (a.kind !== b.kind) return a.kind === 'encounter' ? -1 : 1;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
}

const typeLabels: Record<string, string> = {
  office: 'Office visit',
  home: 'Home visit',
  telephone: 'Telephone',
  telehealth: 'Telehealth',
};

export function encounterTitle(e: Encounter): string {
  return typeLabels[e.type] ?? e.type;
}

const placeholder = (kind: TimelineEntry['kind'], r: Encounter | Note): TimelineEntry => ({
  kind,
  id: r.id,
  at: '',
  title: '',
  detail: '',
  status: '',
  damaged: r.damaged,
});

/**
 * Builds the timeline from the lists, leaving out records entered in error.
 * Records that could not be opened have no date: they come first, so they
 * are seen.
 */
export function buildTimeline(encounters: readonly Encounter[], notes: readonly Note[]): TimelineEntry[] {
  const items: TimelineEntry[] = [];
  const damaged: TimelineEntry[] = [];
  for (const e of encounters) {
    if (e.enteredInError) continue;
    if (e.damaged) {
      damaged.push(placeholder('encounter', e));
      continue;
    }
    const dx = (e.diagnoses ?? []).map((d) => d.display).join('; ');
    items.push({
      kind: 'encounter',
      id: e.id,
      at: e.start,
      title: encounterTitle(e) + (e.location ? ` — ${e.location}` : ''),
      detail: [e.reason, dx].filter(Boolean).join(' · '),
      status: e.clinicianName,
    });
  }
  for (const n of notes) {
    if (n.enteredInError) continue;
    if (n.damaged) {
      damaged.push(placeholder('note', n));
      continue;
    }
    items.push({
      kind: 'note',
      id: n.id,
      at: n.signature?.signedAt || n.updatedAt || n.createdAt,
      title: (n.addendumTo ? 'Addendum: ' : '') + n.title,
      detail: n.authorName,
      status: n.signature ? 'signed' : 'draft',
    });
  }
  return [...damaged, ...sortTimeline(items)];
}
