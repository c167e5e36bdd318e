import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppError } from '../api/errors';
import { Autosaver, autosaveLabel, unsignableReason, type AutosaveStatus } from './autosave';

interface Doc {
  id: string;
  version: number;
  text: string;
}

/** A fake store: records what it was asked to save, answers when told. */
function store() {
  const calls: Doc[] = [];
  const waiting: { resolve: (d: Doc) => void; reject: (e: AppError) => void; doc: Doc }[] = [];
  const save = (d: Doc) =>
    new Promise<Doc>((resolve, reject) => {
      calls.push(d);
      waiting.push({ resolve, reject, doc: d });
    });
  const answer = async () => {
    const w = waiting.shift()!;
    w.resolve({ ...w.doc, id: w.doc.id || 'n1', version: w.doc.version + 1 });
    await vi.advanceTimersByTimeAsync(0);
  };
  const refuse = async (e: AppError) => {
    waiting.shift()!.reject(e);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { calls, waiting, save, answer, refuse };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Autosaver', () => {
  it('waits for a pause in typing, then saves only the latest text', async () => {
    const s = store();
    const a = new Autosaver<Doc>({ id: 'n1', version: 1, text: '' }, { save: s.save, delayMs: 3000 });
    a.edit({ id: 'n1', version: 1, text: 'a' });
    await vi.advanceTimersByTimeAsync(2000);
    a.edit({ id: 'n1', version: 1, text: 'ab' });
    await vi.advanceTimersByTimeAsync(2999);
    expect(s.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.calls.map((c) => c.text)).toEqual(['ab']);
    await s.answer();
    expect(a.current.state).toBe('saved');
    expect(a.saved.version).toBe(2);
  });

  it('never runs two saves at once and bases each save on the version the last returned', async () => {
    const s = store();
    const a = new Autosaver<Doc>({ id: '', version: 0, text: '' }, { save: s.save, delayMs: 100 });
    a.edit({ id: '', version: 0, text: 'one' });
    await vi.advanceTimersByTimeAsync(100);
    expect(s.waiting).toHaveLength(1);
    a.edit({ id: '', version: 0, text: 'two' });
    await vi.advanceTimersByTimeAsync(500);
    expect(s.waiting).toHaveLength(1); // the second save waits for the first
    await s.answer();
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]).toEqual({ id: 'n1', version: 1, text: 'two' });
    await s.answer();
    expect(a.saved).toEqual({ id: 'n1', version: 2, text: 'two' });
    expect(a.dirty).toBe(false);
  });

  it('flush saves at once and resolves when stored', async () => {
    const s = store();
    const a = new Autosaver<Doc>({ id: 'n1', version: 3, text: '' }, { save: s.save, delayMs: 3000 });
    a.edit({ id: 'n1', version: 3, text: 'x' });
    let done = false;
    void a.flush().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.calls).toHaveLength(1);
    expect(done).toBe(false);
    await s.answer();
    expect(done).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.calls).toHaveLength(1); // the cancelled debounce does not save again
  });

  it('keeps the text after a passing failure and retries it', async () => {
    const s = store();
    const statuses: AutosaveStatus[] = [];
    const a = new Autosaver<Doc>({ id: 'n1', version: 1, text: '' }, { save: s.save, delayMs: 10, retryMs: 1000, onStatus: (x) => statuses.push(x) });
    a.edit({ id: 'n1', version: 1, text: 'keep me' });
    await vi.advanceTimersByTimeAsync(10);
    await s.refuse({ code: 'internal', message: 'disk busy' });
    expect(a.current.state).toBe('error');
    expect(autosaveLabel(a.current)).toBe('Not saved: disk busy');
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.calls.map((c) => c.text)).toEqual(['keep me', 'keep me']);
    await s.answer();
    expect(a.current.state).toBe('saved');
  });

  it('stops on a conflict (the note was signed) and ignores later edits', async () => {
    const s = store();
    const a = new Autosaver<Doc>({ id: 'n1', version: 1, text: '' }, { save: s.save, delayMs: 10, retryMs: 10 });
    a.edit({ id: 'n1', version: 1, text: 'late' });
    await vi.advanceTimersByTimeAsync(10);
    await s.refuse({ code: 'conflict', message: 'This note is signed.' });
    expect(a.current.state).toBe('stopped');
    a.edit({ id: 'n1', version: 1, text: 'later' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.calls).toHaveLength(1);
  });

  it('labels the states', () => {
    const at = new Date(2026, 10, 23, 10, 42);
    expect(autosaveLabel({ state: 'saved', savedAt: at, error: null })).toBe('Saved 10:42');
    expect(autosaveLabel({ state: 'saving', savedAt: at, error: null })).toBe('Saving…');
  });
});

describe('Autosaver.dispose', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancels a pending save (e.g. on lock) and clears the error', async () => {
    const saves: Doc[] = [];
    const a = new Autosaver<Doc>({ id: 'n1', version: 1, text: '' }, { save: async (d) => (saves.push(d), d), delayMs: 100 });
    a.edit({ id: 'n1', version: 1, text: 'secret' });
    a.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves).toEqual([]);
    expect(a.current).toMatchObject({ state: 'stopped', error: null });
  });
});

describe('unsignableReason', () => {
  const at = (s: Partial<AutosaveStatus>): AutosaveStatus => ({ state: 'saved', savedAt: null, error: null, ...s });
  const tooLong: AppError = {
    code: 'invalid',
    message: 'The section Subjective is too long (20001 characters; the limit is 20000).',
    field: 'sections.subjective',
  };

  it('a refused save says what is wrong, not "try again"', () => {
    const why = unsignableReason(at({ state: 'error', error: tooLong }), true);
    expect(why).toContain('Subjective is too long');
    expect(why).not.toMatch(/try again/i);
  });

  it('a save still running asks to try again; a stored draft may be signed', () => {
    expect(unsignableReason(at({ state: 'saving' }), true)).toMatch(/try again in a moment/i);
    expect(unsignableReason(at({ state: 'saved' }), false)).toBe('');
  });
});
