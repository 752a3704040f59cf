/**
 * The one table of keyboard shortcuts (issue 11 item 2): which keys, what they do, where they apply, and the
 * handler id a component registers to answer them (web/src/state/use-keyboard-shortcuts.ts). The help overlay,
 * the buttons' `aria-keyshortcuts` and the visible hints all read it, so a key is named in one place.
 *
 * The rules the keys follow (docs/keyboard.md says why):
 * - a plain key (`j`, `/`, `?`) never fires while the person types in a text field: text fields keep their keys;
 * - in a text field only Ctrl/⌘ chords and Escape (to leave the field) are shortcuts;
 * - no shortcut uses a key the browser or a screen reader already gives a meaning to outside a text field
 *   (Ctrl+C copies, Alt+←/→ go back and forward, Tab, Space and the arrows move and scroll);
 * - Shift+letter and any Ctrl/⌘/Alt chord the table does not name are left alone.
 */

/** Where a shortcut applies, which is also how the help overlay groups them. */
export type ShortcutScope = 'anywhere' | 'message' | 'proposal' | 'text-field';

export const SCOPE_TITLES: Record<ShortcutScope, string> = {
  anywhere: 'Anywhere',
  message: 'On a message (move to it with j / k)',
  proposal: 'On a proposed command (move to it with p)',
  'text-field': 'In a text field',
};

export type ShortcutId =
  | 'help'
  | 'search'
  | 'focus-composer'
  | 'next-message'
  | 'previous-message'
  | 'focus-proposal'
  | 'stop-turn'
  | 'interrupt-command'
  | 'edit-message'
  | 'toggle-send'
  | 'regenerate'
  | 'run-proposal'
  | 'reject-proposal'
  | 'edit-command'
  | 'submit'
  | 'leave-field';

/**
 * One way to press a shortcut. `key` is `KeyboardEvent.key` (a letter in lower case, so Shift+J stays free);
 * `modifier` `ctrl-or-meta` is Ctrl, or ⌘ on a Mac. `where` says whether it fires while the focus is in a
 * text field: by default only Ctrl/⌘ chords do.
 */
export interface KeyChord {
  key: string;
  modifier?: 'ctrl-or-meta' | 'alt';
  where?: 'outside-text-fields' | 'text-fields-only' | 'everywhere';
}

export interface Shortcut {
  id: ShortcutId;
  chords: KeyChord[];
  description: string;
  scope: ShortcutScope;
  /**
   * `field`: the text field's own key handler answers it (the composer's and the message editor's
   * Ctrl+Enter, which predate this table); it is listed for the help overlay and the hints only.
   */
  handledBy?: 'field';
}

const CTRL_ENTER: KeyChord = { key: 'Enter', modifier: 'ctrl-or-meta' };

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'help', chords: [{ key: '?' }], description: 'Show these shortcuts', scope: 'anywhere' },
  {
    id: 'search',
    chords: [{ key: '/' }],
    description: 'Search conversations and messages',
    scope: 'anywhere',
  },
  { id: 'focus-composer', chords: [{ key: 'c' }], description: 'Write a message', scope: 'anywhere' },
  {
    id: 'next-message',
    chords: [{ key: 'j' }, { key: 'ArrowDown', modifier: 'alt' }],
    description: 'Next message',
    scope: 'anywhere',
  },
  {
    id: 'previous-message',
    chords: [{ key: 'k' }, { key: 'ArrowUp', modifier: 'alt' }],
    description: 'Previous message',
    scope: 'anywhere',
  },
  {
    id: 'focus-proposal',
    chords: [{ key: 'p' }],
    description: 'Go to the first command waiting for you',
    scope: 'anywhere',
  },
  {
    id: 'stop-turn',
    chords: [{ key: 'Escape' }],
    description: 'Stop the model while it answers',
    scope: 'anywhere',
  },
  {
    id: 'interrupt-command',
    chords: [{ key: '.' }],
    description: 'Interrupt the running command (the focused one, else the first)',
    scope: 'anywhere',
  },
  { id: 'edit-message', chords: [{ key: 'e' }], description: 'Edit the message', scope: 'message' },
  {
    id: 'toggle-send',
    chords: [{ key: 'x' }],
    description: 'Send to model: include or leave out the message',
    scope: 'message',
  },
  { id: 'regenerate', chords: [{ key: 'r' }], description: 'Regenerate a model answer', scope: 'message' },
  {
    id: 'run-proposal',
    chords: [{ key: 'y' }, CTRL_ENTER],
    description: 'Run the command as it stands (on a message: its first waiting command)',
    scope: 'proposal',
  },
  {
    id: 'reject-proposal',
    chords: [{ key: 'n' }],
    description: 'Reject the command, with a reason for the model',
    scope: 'proposal',
  },
  { id: 'edit-command', chords: [{ key: 'e' }], description: 'Edit the command', scope: 'proposal' },
  {
    id: 'submit',
    chords: [CTRL_ENTER],
    description: 'Add the message, run the command, or save the edit (Enter alone adds a line)',
    scope: 'text-field',
    handledBy: 'field',
  },
  {
    id: 'leave-field',
    chords: [{ key: 'Escape', where: 'text-fields-only' }],
    description: 'Leave the field (an edit is cancelled)',
    scope: 'text-field',
  },
];

/** What the matcher needs of a keyboard event (a DOM `KeyboardEvent` is one). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function chordWhere(chord: KeyChord): NonNullable<KeyChord['where']> {
  return chord.where ?? (chord.modifier === 'ctrl-or-meta' ? 'everywhere' : 'outside-text-fields');
}

function isLetter(key: string): boolean {
  return key.length === 1 && key.toLowerCase() !== key.toUpperCase();
}

/** Whether `press` is `chord`, modifiers exactly: Ctrl+J is not j, and Shift+J is not j either. */
export function chordMatches(chord: KeyChord, press: KeyPress): boolean {
  const ctrlOrMeta = press.ctrlKey || press.metaKey;
  if (chord.modifier === 'ctrl-or-meta' ? !ctrlOrMeta || press.altKey : ctrlOrMeta) return false;
  if ((chord.modifier === 'alt') !== press.altKey) return false;
  // `?` needs Shift on most layouts, so Shift counts only for letters and named keys.
  const shiftMatters = isLetter(chord.key) || chord.key.length > 1;
  if (shiftMatters && press.shiftKey) return false;
  return press.key === chord.key;
}

/**
 * The shortcuts a key press could mean, in table order. Which one happens depends on what is focused: the
 * dispatcher offers each to the focused element's scopes, innermost first.
 *
 * @example
 * shortcutsFor({ key: 'j', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }, { inTextField: false })
 * // → ['next-message']
 */
export function shortcutsFor(press: KeyPress, context: { inTextField: boolean }): ShortcutId[] {
  const ids: ShortcutId[] = [];
  for (const shortcut of SHORTCUTS) {
    if (shortcut.handledBy === 'field') continue;
    const fires = shortcut.chords.some((chord) => {
      const where = chordWhere(chord);
      if (context.inTextField ? where === 'outside-text-fields' : where === 'text-fields-only') return false;
      return chordMatches(chord, press);
    });
    if (fires) ids.push(shortcut.id);
  }
  return ids;
}

export function shortcut(id: ShortcutId): Shortcut {
  const found = SHORTCUTS.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no shortcut ${id} in the table`);
  return found;
}

const KEY_NAMES: Record<string, string> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  Escape: 'Esc',
  Enter: 'Enter',
};

/** How a chord is written for people: `j`, `Alt+↓`, `Ctrl+Enter` (`⌘+Enter` on a Mac). */
export function chordLabel(chord: KeyChord, options: { apple: boolean } = { apple: false }): string {
  const key = KEY_NAMES[chord.key] ?? chord.key;
  if (chord.modifier === 'ctrl-or-meta') return `${options.apple ? '⌘' : 'Ctrl'}+${key}`;
  if (chord.modifier === 'alt') return `${options.apple ? '⌥' : 'Alt'}+${key}`;
  return key;
}

/** Every way to press it, for a title or the help overlay: `j or Alt+↓`. */
export function shortcutLabel(id: ShortcutId, options: { apple: boolean } = { apple: false }): string {
  return shortcut(id)
    .chords.map((chord) => chordLabel(chord, options))
    .join(' or ');
}

/** Printable keys that need Shift on a US layout: ARIA names the keys pressed, not the character typed. */
const SHIFTED = new Set(['?']);

/**
 * The `aria-keyshortcuts` value (WAI-ARIA 1.2: space-separated alternatives, `+`-joined modifiers, modifier
 * names as in `KeyboardEvent.key`). Ctrl/⌘ chords name both, since the page answers both.
 */
export function ariaKeyShortcuts(id: ShortcutId): string {
  return shortcut(id)
    .chords.flatMap((chord) => {
      const key = isLetter(chord.key) ? chord.key.toUpperCase() : chord.key;
      if (chord.modifier === 'ctrl-or-meta') return [`Control+${key}`, `Meta+${key}`];
      if (chord.modifier === 'alt') return [`Alt+${key}`];
      return [SHIFTED.has(key) ? `Shift+${key}` : key];
    })
    .join(' ');
}

/** The table by scope, in the order of `SCOPE_TITLES`, for the help overlay. */
export function shortcutsByScope(): { scope: ShortcutScope; title: string; shortcuts: Shortcut[] }[] {
  return (Object.keys(SCOPE_TITLES) as ShortcutScope[]).map((scope) => ({
    scope,
    title: SCOPE_TITLES[scope],
    shortcuts: SHORTCUTS.filter((entry) => entry.scope === scope),
  }));
}
