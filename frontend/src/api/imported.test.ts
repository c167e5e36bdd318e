import { describe, expect, it } from 'vitest';
import { externalTag, importedNoteLine, type Note, type Result } from './chart';

const origin = (external: boolean) => ({ system: 'Valley Lab', type: 'Observation', id: 'o1', importId: 'i', importedAt: '', external });

describe('imported records', () => {
  it('names an imported note by its source and author, and nothing for a note written here', () => {
    const n = { title: 'Letter', origin: origin(false), imported: { authorName: 'Dr Quinlan', date: '2026-03-02' } } as unknown as Note;
    expect(importedNoteLine(n)).toBe('Imported from Valley Lab — author Dr Quinlan');
    expect(importedNoteLine({ title: 'Mine' } as Note)).toBe('');
  });

  it('tags results from outside with their source, and only those', () => {
    expect(externalTag({ origin: origin(true) } as unknown as Result)).toBe('External: Valley Lab');
    expect(externalTag({ origin: origin(false) } as unknown as Result)).toBe('');
    expect(externalTag({} as Result)).toBe('');
  });
});
