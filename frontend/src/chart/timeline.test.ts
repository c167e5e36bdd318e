import { describe, expect, it } from 'vitest';
import type { Encounter, Note } from '../api/chart';
import { buildTimeline, sortTimeline } from './timeline';

const enc = (id: string, start: string, extra: Partial<Encounter> = {}) =>
  ({ id, start, type: 'office', location: '', reason: '', diagnoses: [], clinicianName: 'Dr A', ...extra }) as Encounter;
const note = (id: string, updatedAt: string, extra: Partial<Note> = {}) =>
  ({ id, updatedAt, createdAt: updatedAt, title: 'SOAP', authorName: 'Dr A', ...extra }) as Note;

describe('timeline', () => {
  it('puts the newest first across encounters (local times) and notes (RFC 3339)', () => {
    const t = buildTimeline(
      [enc('e1', '2026-11-20T09:00'), enc('e2', '2026-11-23T08:00', { type: 'home', location: 'Farm Rd 3' })],
      [note('n1', new Date(2026, 10, 21, 12, 0).toISOString())],
    );
    expect(t.map((i) => i.id)).toEqual(['e2', 'n1', 'e1']);
    expect(t[0].title).toBe('Home visit — Farm Rd 3');
  });

  it('uses the signing time of a signed note and marks drafts', () => {
    const signed = note('n2', '2026-01-01T00:00:00Z', {
      signature: { signerId: 'u', signerName: 'Dr A', signerRole: 'clinician', signedAt: '2026-06-01T00:00:00Z', contentHash: 'ab' },
    });
    const t = buildTimeline([], [note('n1', '2026-03-01T00:00:00Z'), signed]);
    expect(t.map((i) => [i.id, i.status])).toEqual([
      ['n2', 'signed'],
      ['n1', 'draft'],
    ]);
  });

  it('leaves out records entered in error', () => {
    const t = buildTimeline([enc('e1', '2026-11-20T09:00', { enteredInError: { at: '', by: '', byName: '', reason: 'wrong chart' } })], []);
    expect(t).toEqual([]);
  });

  it('sorts unreadable times last and is stable on ties', () => {
    const s = sortTimeline([
      { id: 'a', kind: 'note', at: 'garbage' },
      { id: 'b', kind: 'note', at: '2026-01-01T00:00' },
      { id: 'c', kind: 'encounter', at: '2026-01-01T00:00' },
    ]);
    expect(s.map((i) => i.id)).toEqual(['c', 'b', 'a']);
  });
});
