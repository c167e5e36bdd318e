// Inserting chart text into a note section being written: the text lands
// where the cursor is (replacing a selection), on lines of its own, and
// the cursor ends after it so writing goes on from there.

export interface Inserted {
  text: string;
  /** Where the cursor goes: just after the inserted text. */
  caret: number;
}

/** Inserts snippet into text over [start, end), each side on a line of its own. */
export function insertSnippet(text: string, start: number, end: number, snippet: string): Inserted {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  const before = text.slice(0, a);
  const after = text.slice(b);
  const lead = before === '' || before.endsWith('\n') ? '' : '\n';
  const trail = after === '' || after.startsWith('\n') ? '' : '\n';
  const middle = lead + snippet + trail;
  return { text: before + middle + after, caret: before.length + lead.length + snippet.length };
}
