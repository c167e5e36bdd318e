// A button that moves between press and release loses its click: the browser
// clicks only when both land on it. A save answering mid-click (an error
// line appearing or going above the button) moves it by a line, and the
// press is lost. steadyClick clicks such a button anyway when the release
// is where the button was at the press; a release dragged off the button
// still cancels, as usual.

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Whether (x, y) is inside box. */
const within = (b: Box, x: number, y: number) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;

/**
 * Whether a release at (x, y) that the browser did not deliver to the button
 * (`onButton` false) is a click the layout stole: it lands where the button
 * was pressed (`pressedAt`), not where it is now (`now`).
 */
export function stolenClick(pressedAt: Box, now: Box, x: number, y: number, onButton: boolean): boolean {
  return !onButton && within(pressedAt, x, y) && !within(now, x, y);
}

/** Svelte action: `<button use:steadyClick onclick={…}>`. */
export function steadyClick(node: HTMLButtonElement) {
  let press: { id: number; box: Box } | null = null;
  const down = (e: PointerEvent) => {
    press = e.button === 0 && e.isPrimary ? { id: e.pointerId, box: node.getBoundingClientRect() } : null;
  };
  const up = (e: PointerEvent) => {
    const p = press;
    press = null;
    if (!p || e.pointerId !== p.id || node.disabled || !node.isConnected) return;
    const onButton = node.contains(e.target as Node);
    // The browser's own click follows this pointerup; ours replaces the one it will not send.
    if (stolenClick(p.box, node.getBoundingClientRect(), e.clientX, e.clientY, onButton)) node.click();
  };
  const cancel = () => (press = null);
  node.addEventListener('pointerdown', down);
  window.addEventListener('pointerup', up, true);
  window.addEventListener('pointercancel', cancel, true);
  return {
    destroy() {
      node.removeEventListener('pointerdown', down);
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', cancel, true);
    },
  };
}
