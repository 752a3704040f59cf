import { useCallback, useEffect, useRef } from 'react';
import { type ShortcutId, shortcutsFor } from '../lib/keyboard-shortcuts.ts';

/**
 * One keydown listener for the page (issue 11 item 2), and the places that answer its shortcuts.
 *
 * A component answers a shortcut in one of two ways:
 * - as a **scope**: an element (a message card, a proposal card, the composer) whose handlers answer when the
 *   focus is on it or inside it; the innermost scope around the focus goes first. A scope may also answer
 *   from **anywhere** when nothing around the focus does (the first such element on the page, in document
 *   order: `.` interrupts the first running one);
 * - as a **global** handler (open the help, go to the search box, move between messages, go to the first
 *   waiting command: `p` reads the terminal's data, since the card may not be rendered).
 *
 * So "the focused message" is simply the card that holds the focus: no second notion of a selection.
 * A handler returns `false` when it does not apply (a Run on a proposal that already ran), and the key goes
 * on to the next place; when one answers, the browser's default for the key is prevented.
 */

export interface ShortcutContext {
  event: KeyboardEvent | null;
  /** The element the key was pressed on (or the focused element, for `invokeShortcut`). */
  target: Element;
}

/** Returns `false` when it does not apply, so the key goes on; anything else means it answered. */
export type ShortcutHandler = (context: ShortcutContext) => unknown;
export type ShortcutHandlers = Partial<Record<ShortcutId, ShortcutHandler>>;

interface ScopeEntry {
  handlers: () => ShortcutHandlers;
  anywhere: () => readonly ShortcutId[];
}

const scopes = new Map<Element, ScopeEntry>();
const globals = new Set<() => ShortcutHandlers>();

/** Keys that may repeat while held (moving through messages); an action fires once per press. */
const REPEATABLE: ReadonlySet<ShortcutId> = new Set(['next-message', 'previous-message']);

const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'image']);

/** Where typing is typing: text inputs, text areas, selects (type-ahead) and editable content. */
export function isTextField(element: Element): boolean {
  const field = element.closest('input, textarea, select, [contenteditable]');
  if (field === null) return false;
  if (field instanceof HTMLInputElement) return !NOT_TEXT_INPUTS.has(field.type);
  if (field instanceof HTMLElement && field.hasAttribute('contenteditable')) return field.isContentEditable;
  return true;
}

/** Whether a part of the page is on screen (not `hidden`, not in a closed drawer's `display: none`). */
export function isShown(element: Element | null): element is Element {
  return element?.checkVisibility() === true;
}

function answer(handler: ShortcutHandler | undefined, context: ShortcutContext): boolean {
  return handler !== undefined && handler(context) !== false;
}

function byDocumentOrder(a: Element, b: Element): number {
  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

/**
 * The scopes inside `container` (itself excluded) that answer `id`, first in document order first. Only
 * rendered ones: the conversation stays mounted but hidden under the Settings page, and a key pressed there
 * must not run or interrupt a command nobody sees.
 */
function scopesWithin(container: Element | null, id: ShortcutId): [Element, ScopeEntry][] {
  const found: [Element, ScopeEntry][] = [];
  for (const [element, entry] of scopes) {
    if (element === container || !element.checkVisibility()) continue;
    if (container !== null && !container.contains(element)) continue;
    if (entry.handlers()[id] !== undefined) found.push([element, entry]);
  }
  return found.sort(([a], [b]) => byDocumentOrder(a, b));
}

/**
 * Offers `id` to the scopes inside `container`, first in document order first: a message card passes `y` to
 * the first waiting proposal under it, a proposal passes `.` to its running command.
 */
export function dispatchWithin(container: Element, id: ShortcutId, context: ShortcutContext): boolean {
  return scopesWithin(container, id).some(([, entry]) => answer(entry.handlers()[id], context));
}

/** Offers each id (in order) to the scopes around the target, then to scopes that answer anywhere, then globals. */
export function dispatchShortcut(ids: readonly ShortcutId[], context: ShortcutContext): boolean {
  for (let element: Element | null = context.target; element !== null; element = element.parentElement) {
    const entry = scopes.get(element);
    if (entry === undefined) continue;
    const handlers = entry.handlers();
    if (ids.some((id) => answer(handlers[id], context))) return true;
  }
  for (const id of ids) {
    for (const [, entry] of scopesWithin(null, id)) {
      if (entry.anywhere().includes(id) && answer(entry.handlers()[id], context)) return true;
    }
  }
  // The newest registration first, so a handler mounted later (a dialog) can stand in front.
  const tables = [...globals].reverse();
  return ids.some((id) => tables.some((table) => answer(table()[id], context)));
}

/** Runs a shortcut as if its key had been pressed where the focus is (a button can name what it does). */
export function invokeShortcut(id: ShortcutId): boolean {
  return dispatchShortcut([id], { event: null, target: document.activeElement ?? document.body });
}

function onKeyDown(event: KeyboardEvent): void {
  // Fields with their own key handling (the message editor's Esc, the search box's Esc) have already answered.
  if (event.defaultPrevented || event.isComposing || event.key === 'Process') return;
  const target = event.target instanceof Element ? event.target : document.body;
  // A modal dialog owns the keyboard: Esc closes it (the browser does that), nothing behind it answers.
  if (target.closest('dialog')) return;
  let ids = shortcutsFor(event, { inTextField: isTextField(target) });
  if (event.repeat) ids = ids.filter((id) => REPEATABLE.has(id));
  if (ids.length === 0) return;
  if (dispatchShortcut(ids, { event, target })) event.preventDefault();
}

/**
 * Installs the page's one keydown listener; call it once, at the top of the app. It listens on the document
 * in the bubbling phase: after React's own handlers (which run at the root element), and before the window's
 * listeners, so a Stop on Esc goes before Esc closing the inspector.
 */
export function useKeyboardShortcuts(): void {
  useEffect(() => {
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * Makes an element a scope for `handlers` (read fresh at each key press, so they may close over state).
 * Returns the ref to put on the element, and the element once mounted (to focus it).
 *
 * @example
 * const scope = useShortcutScope<HTMLElement>({ 'edit-message': () => setEditing(true) });
 * return <article ref={scope.ref} tabIndex={-1}>…</article>;
 */
export function useShortcutScope<T extends Element>(
  handlers: ShortcutHandlers,
  options: { anywhere?: readonly ShortcutId[] } = {},
): { ref: (element: T | null) => void; element: { readonly current: T | null } } {
  const latest = useRef({ handlers, anywhere: options.anywhere ?? [] });
  latest.current = { handlers, anywhere: options.anywhere ?? [] };
  const element = useRef<T | null>(null);
  const ref = useCallback((node: T | null) => {
    if (element.current !== null) scopes.delete(element.current);
    element.current = node;
    if (node !== null) {
      scopes.set(node, { handlers: () => latest.current.handlers, anywhere: () => latest.current.anywhere });
    }
  }, []);
  return { ref, element };
}

/**
 * Handlers that answer wherever the focus is, unless a scope around it answered first. One that belongs to
 * part of the page returns `false` while that part is hidden (see `isShown`).
 */
export function useGlobalShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const table = () => latest.current;
    globals.add(table);
    return () => {
      globals.delete(table);
    };
  }, []);
}
