import { describe, expect, it } from 'vitest';
import { isLockShortcut, isRegisterShortcut } from './shortcuts';

const key = (k: Partial<KeyboardEvent>) => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...k });

describe('shortcuts', () => {
  it('locks on Ctrl+L and Cmd+L, not on a plain l', () => {
    expect(isLockShortcut(key({ key: 'l', code: 'KeyL', ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key({ key: 'l', code: 'KeyL', metaKey: true }))).toBe(true);
    expect(isLockShortcut(key({ key: 'L', code: 'KeyL', ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isLockShortcut(key({ key: 'l', code: 'KeyL' }))).toBe(false);
    expect(isLockShortcut(key({ key: 'l', code: 'KeyL', ctrlKey: true, altKey: true }))).toBe(false);
  });
  it('registers on Alt+N by key position (Option+N types ˜ on macOS)', () => {
    expect(isRegisterShortcut(key({ key: '˜', code: 'KeyN', altKey: true }))).toBe(true);
    expect(isRegisterShortcut(key({ key: 'n', code: 'KeyN' }))).toBe(false);
    expect(isRegisterShortcut(key({ key: 'n', code: 'KeyN', altKey: true, ctrlKey: true }))).toBe(false);
  });
});
