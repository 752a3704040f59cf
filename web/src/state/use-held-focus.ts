import { type RefObject, useEffect, useRef } from 'react';

/**
 * A proposal card keeps the keyboard when the control that held the focus goes away (Run, Apply, Reject or
 * Cancel removes it): call `holdFocus()` before the action; after the next render, if the focus fell to the
 * page, the card takes it back, so the keyboard stays where the output appears (issue 11 item 2). It lets go
 * once the proposal is no longer waiting or the focus moved elsewhere on purpose. Call it after the card's
 * shortcut scope exists; the actions that hold the focus read it only when they run.
 */
export function useHeldFocus(
  card: RefObject<HTMLElement | null>,
  pending: boolean,
): { hold: () => void; release: () => void } {
  const keepFocus = useRef(false);
  useEffect(() => {
    if (!keepFocus.current) return;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (lost) card.current?.focus();
    if (lost || !pending || !card.current?.contains(active)) keepFocus.current = false;
  });
  return {
    hold: () => {
      keepFocus.current = card.current?.contains(document.activeElement) === true;
    },
    /** The action failed and the control stays: nothing to take back. */
    release: () => {
      keepFocus.current = false;
    },
  };
}
