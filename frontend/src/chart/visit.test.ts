import { describe, expect, it } from 'vitest';
import type { Encounter, Note, Problem } from '../api/chart';
import { activeProblemFor, closedEncounters, closesEncounter, encounterChoices, sameCondition } from './visit';

const sig = { signerId: 'u', signerName: 'Dr U', signerRole: 'clinician', signedAt: '2026-11-23T10:00:00Z', contentHash: 'h' };
const note = (over: Partial<Note>) => ({ kind: 'clinical', encounterId: 'e1', signature: sig, addendumTo: '', ...over }) as Note;
const enc = (id: string, start: string, over: Partial<Encounter> = {}) => ({ id, start, type: 'office', ...over }) as Encounter;

describe('visit rules', () => {
  it('only a signed clinical note closes its encounter', () => {
    expect(closesEncounter(note({}))).toBe(true);
    expect(closesEncounter(note({ signature: null }))).toBe(false);
    expect(closesEncounter(note({ kind: 'nursing' }))).toBe(false);
    expect(closesEncounter(note({ addendumTo: 'n0' }))).toBe(false);
    expect(closesEncounter(note({ enteredInError: { at: '', by: '', byName: '', reason: 'x' } }))).toBe(false);
    expect([...closedEncounters([note({}), note({ encounterId: 'e2', signature: null }), note({ encounterId: '' })])]).toEqual(['e1']);
  });

  it('offers no encounter first, then newest first, marking and always including the open one', () => {
    const open = enc('today', '2026-11-23T08:30');
    const choices = encounterChoices([enc('old', '2026-01-02T09:00'), enc('gone', '2026-11-22T09:00', { damaged: 'x' })], open);
    expect(choices.map((c) => c.value)).toEqual(['', 'today', 'old']);
    expect(choices[1].label).toMatch(/\(open\)$/);
  });

  it('finds a diagnosis already on the active problem list', () => {
    const i10 = { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10', display: 'Essential hypertension' };
    const problems = [
      { id: 'p1', condition: i10, status: 'resolved' },
      { id: 'p2', condition: { ...i10, display: 'HTN' }, status: 'active' },
    ] as Problem[];
    expect(activeProblemFor(i10, problems)?.id).toBe('p2');
    expect(activeProblemFor({ system: '', code: '', display: 'Essential hypertension' }, problems)).toBeUndefined();
    expect(sameCondition({ system: '', code: '', display: 'Low  back pain' }, { system: '', code: '', display: 'low back pain' })).toBe(true);
  });
});
