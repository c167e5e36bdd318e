import { describe, expect, it } from 'vitest';
import { navigate } from './listNav';

describe('navigate', () => {
  it('ArrowDown from the search box highlights the first row', () => {
    expect(navigate('ArrowDown', -1, 3)).toEqual({ kind: 'move', index: 0 });
  });
  it('moves down and up one row at a time', () => {
    expect(navigate('ArrowDown', 0, 3)).toEqual({ kind: 'move', index: 1 });
    expect(navigate('ArrowUp', 2, 3)).toEqual({ kind: 'move', index: 1 });
  });
  it('stops at both ends instead of wrapping', () => {
    expect(navigate('ArrowDown', 2, 3)).toEqual({ kind: 'move', index: 2 });
    expect(navigate('ArrowUp', 0, 3)).toEqual({ kind: 'move', index: 0 });
  });
  it('Home and End jump to the ends', () => {
    expect(navigate('Home', 2, 3)).toEqual({ kind: 'move', index: 0 });
    expect(navigate('End', 0, 3)).toEqual({ kind: 'move', index: 2 });
  });
  it('Enter opens the highlighted row', () => {
    expect(navigate('Enter', 1, 3)).toEqual({ kind: 'open', index: 1 });
  });
  it('Enter opens a single hit even when nothing is highlighted', () => {
    expect(navigate('Enter', -1, 1)).toEqual({ kind: 'open', index: 0 });
    expect(navigate('Enter', -1, 2)).toEqual({ kind: 'none' });
  });
  it('a stale highlight beyond the list is clamped', () => {
    expect(navigate('Enter', 5, 2)).toEqual({ kind: 'open', index: 1 });
  });
  it('does nothing with an empty list', () => {
    for (const k of ['ArrowDown', 'ArrowUp', 'Enter', 'Home', 'End']) expect(navigate(k, -1, 0)).toEqual({ kind: 'none' });
  });
  it('Escape clears, other keys are ignored', () => {
    expect(navigate('Escape', 1, 3)).toEqual({ kind: 'clear' });
    expect(navigate('a', 1, 3)).toEqual({ kind: 'none' });
  });
});
