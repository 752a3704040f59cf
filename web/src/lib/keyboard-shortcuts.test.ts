import { describe, expect, it } from 'vitest';
import {
  ariaKeyShortcuts,
  chordLabel,
  type KeyPress,
  SHORTCUTS,
  shortcutLabel,
  shortcutsByScope,
  shortcutsFor,
} from './keyboard-shortcuts.ts';

function press(key: string, modifiers: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers };
}

const outside = { inTextField: false };
const inField = { inTextField: true };

describe('keyboard shortcuts', () => {
  it('maps plain keys outside text fields to their handlers', () => {
    expect(shortcutsFor(press('j'), outside)).toEqual(['next-message']);
    expect(shortcutsFor(press('k'), outside)).toEqual(['previous-message']);
    expect(shortcutsFor(press('/'), outside)).toEqual(['search']);
    expect(shortcutsFor(press('?', { shiftKey: true }), outside)).toEqual(['help']);
    expect(shortcutsFor(press('.'), outside)).toEqual(['interrupt-command']);
    expect(shortcutsFor(press('y'), outside)).toEqual(['run-proposal']);
    // One key, two scopes: the focused card decides which answers.
    expect(shortcutsFor(press('e'), outside)).toEqual(['edit-message', 'edit-command']);
  });

  it('leaves text fields their keys: only Ctrl/⌘ chords and Esc reach the table there', () => {
    for (const key of ['j', 'k', 'e', 'x', 'y', 'n', 'r', 'p', 'c', '/', '?', '.', ' ', 'Enter', 'ArrowUp']) {
      expect(shortcutsFor(press(key), inField), key).toEqual([]);
    }
    expect(shortcutsFor(press('ArrowUp', { altKey: true }), inField)).toEqual([]);
    expect(shortcutsFor(press('Enter', { ctrlKey: true }), inField)).toEqual(['run-proposal']);
    expect(shortcutsFor(press('Enter', { metaKey: true }), inField)).toEqual(['run-proposal']);
    expect(shortcutsFor(press('Escape'), inField)).toEqual(['leave-field']);
  });

  it('tells Esc in a field (leave it) from Esc elsewhere (stop the model)', () => {
    expect(shortcutsFor(press('Escape'), outside)).toEqual(['stop-turn']);
  });

  it('never takes a browser chord: Ctrl/⌘/Alt with a letter, Alt+←/→, Shift+letter', () => {
    for (const key of ['c', 'f', 'l', 'r', 'k', 'j', 'a', 'v', 'x', 'p']) {
      expect(shortcutsFor(press(key, { ctrlKey: true }), outside), `Ctrl+${key}`).toEqual([]);
      expect(shortcutsFor(press(key, { metaKey: true }), outside), `⌘+${key}`).toEqual([]);
      expect(shortcutsFor(press(key, { altKey: true }), outside), `Alt+${key}`).toEqual([]);
      expect(shortcutsFor(press(key.toUpperCase(), { shiftKey: true }), outside), `Shift+${key}`).toEqual([]);
    }
    expect(shortcutsFor(press('ArrowLeft', { altKey: true }), outside)).toEqual([]);
    expect(shortcutsFor(press('ArrowRight', { altKey: true }), outside)).toEqual([]);
    expect(shortcutsFor(press('ArrowDown'), outside)).toEqual([]);
    expect(shortcutsFor(press(' '), outside)).toEqual([]);
    expect(shortcutsFor(press('Tab'), outside)).toEqual([]);
    expect(shortcutsFor(press('Enter'), outside)).toEqual([]);
    expect(shortcutsFor(press('Enter', { ctrlKey: true, altKey: true }), outside)).toEqual([]);
  });

  it('moves between messages with Alt+↑/↓ as well as k/j', () => {
    expect(shortcutsFor(press('ArrowDown', { altKey: true }), outside)).toEqual(['next-message']);
    expect(shortcutsFor(press('ArrowUp', { altKey: true }), outside)).toEqual(['previous-message']);
  });

  it('does not dispatch what a text field answers itself', () => {
    const submit = SHORTCUTS.find((entry) => entry.id === 'submit');
    expect(submit?.handledBy).toBe('field');
    expect(shortcutsFor(press('Enter', { ctrlKey: true }), inField)).not.toContain('submit');
  });

  it('gives no two shortcuts of one scope the same key', () => {
    for (const group of shortcutsByScope()) {
      const keys = group.shortcuts
        .filter((entry) => entry.handledBy !== 'field')
        .flatMap((entry) => entry.chords.map((chord) => `${chord.modifier ?? ''}+${chord.key}`));
      expect(new Set(keys).size, group.scope).toBe(keys.length);
    }
  });

  it('writes the keys for people and for aria-keyshortcuts', () => {
    expect(shortcutLabel('next-message')).toBe('j or Alt+↓');
    expect(shortcutLabel('run-proposal')).toBe('y or Ctrl+Enter');
    expect(shortcutLabel('run-proposal', { apple: true })).toBe('y or ⌘+Enter');
    expect(chordLabel({ key: 'Escape' })).toBe('Esc');
    expect(ariaKeyShortcuts('next-message')).toBe('J Alt+ArrowDown');
    expect(ariaKeyShortcuts('run-proposal')).toBe('Y Control+Enter Meta+Enter');
    expect(ariaKeyShortcuts('help')).toBe('Shift+?');
    expect(ariaKeyShortcuts('search')).toBe('/');
  });

  it('groups every shortcut under exactly one scope, anywhere first', () => {
    const groups = shortcutsByScope();
    expect(groups.map((group) => group.scope)).toEqual(['anywhere', 'message', 'proposal', 'text-field']);
    expect(groups.flatMap((group) => group.shortcuts).length).toBe(SHORTCUTS.length);
    expect(new Set(SHORTCUTS.map((entry) => entry.id)).size).toBe(SHORTCUTS.length);
  });
});
