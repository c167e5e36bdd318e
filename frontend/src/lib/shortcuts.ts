/** True on macOS, where Cmd is the usual modifier. */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export const lockShortcutLabel = isMac ? '⌘L' : 'Ctrl+L';

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Ctrl+L everywhere, and Cmd+L on macOS. */
export function isLockShortcut(e: KeyLike): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'l' || e.key === 'L' || e.code === 'KeyL');
}

/** Alt+N (by key position, since Option+N types "˜" on macOS). */
export function isRegisterShortcut(e: KeyLike): boolean {
  return e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyN' || e.key === 'n' || e.key === 'N');
}
