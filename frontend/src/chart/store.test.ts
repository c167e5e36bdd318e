// The store against a backend answered by hand: the backend itself cannot
// run under vitest, and what is tested here is the timing of its answers.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Call = { name: string; args: unknown[]; resolve: (v: unknown) => void };
const calls: Call[] = [];

vi.mock('../api/chart', () => {
  const answeredByHand =
    (name: string) =>
    (...args: unknown[]) =>
      new Promise((resolve) => calls.push({ name, args, resolve }));
  const names = ['summary', 'encounters', 'notes', 'problems', 'medications', 'allergies', 'vitals', 'results',
    'immunizations', 'procedures', 'practiceUnits', 'templates', 'choices', 'familyHistories', 'socialHistories', 'pregnancyStatuses'];
  return Object.fromEntries(names.map((n) => [n, answeredByHand(n)]));
});

const { clinical, ensureLists, openChart, refresh } = await import('./store.svelte');
const { clearChartState } = await import('../state/chart.svelte');

const answer = (name: string, value: unknown) => {
  const i = calls.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no pending ${name} call (pending: ${calls.map((c) => c.name).join(', ')})`);
  calls.splice(i, 1)[0].resolve(value);
};
const flush = () => new Promise((r) => setTimeout(r));
const summaryOf = (id: string) => ({ patient: { id }, allergyStatus: 'not-asked', timeline: [] });

async function open(id: string) {
  const opening = openChart(id);
  answer('summary', summaryOf(id));
  return opening;
}

beforeEach(() => {
  clearChartState();
  calls.length = 0;
});

describe('clinical store', () => {
  it('waits only for the summary; lists load when asked for', async () => {
    await open('p1');
    expect(clinical.summary?.patient.id).toBe('p1');
    expect(calls.map((c) => c.name).sort()).toEqual(['choices', 'practiceUnits', 'templates']);
    const loading = ensureLists('vitals');
    expect(clinical.loaded.vitals).toBeUndefined();
    answer('vitals', [{ id: 'v1' }]);
    expect(await loading).toEqual([]);
    expect(clinical.vitals).toEqual([{ id: 'v1' }]);
    expect(clinical.loaded.vitals).toBe(true);
  });

  it('a list answering after a lock does not bring patient data back', async () => {
    await open('p1');
    const loading = ensureLists('vitals', 'notes');
    clearChartState();
    answer('vitals', [{ id: 'v1' }]);
    answer('notes', [{ id: 'n1' }]);
    answer('practiceUnits', { weight: 'lb', height: 'in', temperature: 'degF' });
    await loading;
    await flush();
    expect(clinical.patientId).toBe('');
    expect(clinical.vitals).toEqual([]);
    expect(clinical.notes).toEqual([]);
    expect(clinical.loaded).toEqual({});
    expect(clinical.units.temperature).not.toBe('degF');
  });

  it('a summary answering after a lock is dropped too', async () => {
    const opening = openChart('p1');
    clearChartState();
    answer('summary', summaryOf('p1'));
    await opening;
    expect(clinical.summary).toBeNull();
  });

  it("an answer for the previous patient never lands in the next patient's chart", async () => {
    await open('p1');
    const old = ensureLists('allergies');
    await open('p2');
    answer('allergies', [{ id: 'a-of-p1' }]);
    await old;
    expect(clinical.allergies).toEqual([]);
    const fresh = ensureLists('allergies');
    expect(calls.find((c) => c.name === 'allergies')?.args).toEqual(['p2']);
    answer('allergies', [{ id: 'a-of-p2' }]);
    await fresh;
    expect(clinical.allergies).toEqual([{ id: 'a-of-p2' }]);
  });

  it('refresh reloads the summary with the lists', async () => {
    await open('p1');
    const refreshing = refresh('problems');
    answer('summary', { ...summaryOf('p1'), noKnownProblems: true });
    answer('problems', [{ id: 'pr1' }]);
    await refreshing;
    expect(clinical.summary?.noKnownProblems).toBe(true);
    expect(clinical.problems).toEqual([{ id: 'pr1' }]);
  });
});
