import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ariaKeyShortcuts, chordLabel, shortcutLabel, shortcutsByScope } from '../lib/keyboard-shortcuts.ts';
import { invokeShortcut, useGlobalShortcuts } from '../state/use-keyboard-shortcuts.ts';

/** ⌘ and ⌥ on Apple keyboards; the handlers accept Ctrl and ⌘ alike either way. */
export const APPLE = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * The `?` overlay: every shortcut in the table, grouped by where it applies. A modal dialog, so the page
 * behind it is inert; Tab stays inside, Esc closes it and the focus goes back where it was.
 */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement | null>(null);
  const returnTo = useRef<Element | null>(null);
  const headingId = useId();

  useGlobalShortcuts({
    help: () => {
      returnTo.current = document.activeElement;
      setOpen(true);
    },
  });

  useEffect(() => {
    const element = dialog.current;
    if (open && element !== null && !element.open) element.showModal();
  }, [open]);

  // The close event comes a task after the dialog closed (the browser has put the focus back by then), and
  // keys pressed meanwhile are handled first: only a focus left nowhere is put back, never one a key moved.
  const onClose = () => {
    setOpen(false);
    const back = returnTo.current;
    returnTo.current = null;
    const active = document.activeElement;
    const lost = active === null || active === document.body || dialog.current?.contains(active) === true;
    if (lost && back instanceof HTMLElement && back.isConnected) back.focus();
  };

  // The browser keeps Tab out of the inert page but lets it reach its own toolbar; a trap keeps it here.
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || dialog.current === null) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={dialog}
      className="dialog shortcut-help"
      aria-labelledby={headingId}
      onClose={onClose}
      onKeyDown={onKeyDown}
    >
      <div className="shortcut-help__top">
        <h2 id={headingId} className="dialog__title">
          Keyboard shortcuts
        </h2>
        <button type="button" className="button button--small" onClick={() => dialog.current?.close()}>
          Close{' '}
          <span className="key-hint" aria-hidden="true">
            <kbd>Esc</kbd>
          </span>
        </button>
      </div>
      <p className="shortcut-help__note">
        Letters work when the cursor is not in a text field; text fields keep their keys. With a screen
        reader, switch to focus (forms) mode first: in browse mode it reads letters as its own commands.
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on a short screen; a Tab stop lets the keyboard scroll it (axe: scrollable-region-focusable). */}
      <section className="shortcut-help__groups" tabIndex={0} aria-label="All shortcuts">
        {shortcutsByScope().map((group) => (
          <section
            key={group.scope}
            className="shortcut-help__group"
            aria-labelledby={`${headingId}-${group.scope}`}
          >
            <h3 id={`${headingId}-${group.scope}`}>{group.title}</h3>
            <table className="shortcut-help__table">
              <tbody>
                {group.shortcuts.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">
                      {entry.chords.map((chord, index) => (
                        <span key={chordLabel(chord)}>
                          {index > 0 ? ' or ' : ''}
                          <kbd>{chordLabel(chord, { apple: APPLE })}</kbd>
                        </span>
                      ))}
                    </th>
                    <td>{entry.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </section>
    </dialog>
  );
}

/** The visible way in to the overlay, and its key, for anyone who does not know about `?`. */
export function ShortcutHelpButton() {
  return (
    <button
      type="button"
      className="button button--small button--ghost shortcut-help__open"
      aria-keyshortcuts={ariaKeyShortcuts('help')}
      title={`Keyboard shortcuts (${shortcutLabel('help')})`}
      onClick={() => invokeShortcut('help')}
    >
      Shortcuts{' '}
      <span className="key-hint" aria-hidden="true">
        <kbd>?</kbd>
      </span>
    </button>
  );
}

/**
 * A key shown beside a button's label while its card holds the focus; `aria-hidden`, so the button's name stays
 * plain and the key reaches a screen reader through `aria-keyshortcuts` instead.
 */
export function KeyHint(props: { label: string }) {
  return (
    <span className="key-hint key-hint--on-focus" aria-hidden="true">
      <kbd>{props.label}</kbd>
    </span>
  );
}
