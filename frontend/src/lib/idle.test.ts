import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIdleTimer } from './idle';

describe('startIdleTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after the idle minutes with no input', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleTimer(2, onIdle, target);
    vi.advanceTimersByTime(2 * 60_000 - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('input restarts the countdown', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    startIdleTimer(1, onIdle, target);
    vi.advanceTimersByTime(50_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('stopping it removes the timer and the listeners', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = startIdleTimer(1, onIdle, target);
    stop();
    target.dispatchEvent(new Event('pointerdown'));
    vi.advanceTimersByTime(5 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
