import { describe, expect, it } from 'vitest';
import { insertSnippet } from './noteInsert';

describe('insertSnippet', () => {
  it('puts the text on its own lines at the cursor', () => {
    expect(insertSnippet('', 0, 0, 'Vitals: x')).toEqual({ text: 'Vitals: x', caret: 9 });
    expect(insertSnippet('Well.', 5, 5, 'V')).toEqual({ text: 'Well.\nV', caret: 7 });
    expect(insertSnippet('Well.\nPlan', 5, 5, 'V')).toEqual({ text: 'Well.\nV\nPlan', caret: 7 });
    expect(insertSnippet('AB', 1, 1, 'V')).toEqual({ text: 'A\nV\nB', caret: 3 });
  });

  it('replaces a selection and clamps a stale cursor', () => {
    expect(insertSnippet('keep {{vitals}} keep', 5, 15, 'V').text).toBe('keep \nV\n keep');
    expect(insertSnippet('short', 40, 99, 'V')).toEqual({ text: 'short\nV', caret: 7 });
  });
});
