/** What a key press in the patient search means for the result list. */
export type NavResult =
  | { kind: 'move'; index: number }
  | { kind: 'open'; index: number }
  | { kind: 'clear' }
  | { kind: 'none' };

/**
 * navigate maps a key to the new highlighted row. index is -1 when no row is
 * highlighted; ArrowDown from the search box highlights the first row, and
 * movement stops at either end rather than wrapping (wrapping surprises
 * people scanning a long list).
 */
export function navigate(key: string, index: number, count: number): NavResult {
  switch (key) {
    case 'ArrowDown':
      if (count === 0) return { kind: 'none' };
      return { kind: 'move', index: Math.min(index + 1, count - 1) };
    case 'ArrowUp':
      if (count === 0) return { kind: 'none' };
      return { kind: 'move', index: Math.max(index - 1, 0) };
    case 'Home':
      return count === 0 ? { kind: 'none' } : { kind: 'move', index: 0 };
    case 'End':
      return count === 0 ? { kind: 'none' } : { kind: 'move', index: count - 1 };
    case 'Enter':
      if (count === 0) return { kind: 'none' };
      // With one hit, Enter opens it even if nothing is highlighted yet.
      if (index < 0) return count === 1 ? { kind: 'open', index: 0 } : { kind: 'none' };
      return { kind: 'open', index: Math.min(index, count - 1) };
    case 'Escape':
      return { kind: 'clear' };
    default:
      return { kind: 'none' };
  }
}
