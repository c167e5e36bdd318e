import { describe, expect, it } from 'vitest';
import { stolenClick, type Box } from './steadyClick';

const at = (top: number): Box => ({ left: 900, right: 1000, top, bottom: top + 30 });

describe('stolenClick', () => {
  it('clicks a button that moved from under a still pointer', () => {
    expect(stolenClick(at(368), at(333), 950, 384, false)).toBe(true);
  });
  it('leaves the click to the browser when the release is on the button', () => {
    expect(stolenClick(at(368), at(368), 950, 384, true)).toBe(false);
    expect(stolenClick(at(368), at(360), 950, 384, false)).toBe(false);
  });
  it('a release dragged off the button still cancels', () => {
    expect(stolenClick(at(368), at(368), 950, 450, false)).toBe(false);
    expect(stolenClick(at(368), at(333), 1100, 384, false)).toBe(false);
  });
});
