/**
 * The composer's role box. Each choice maps to the (role, author) pair stored with the message; the mapping
 * follows the original app, where "User Terminal" was an OpenAI `user` message named `terminal`.
 */
import type { Role } from '../../../src/core/domain.ts';

export const COMPOSER_CHOICES = ['system', 'user', 'assistant', 'terminal', 'custom'] as const;
export type ComposerChoice = (typeof COMPOSER_CHOICES)[number];

export const CHOICE_LABELS: Record<ComposerChoice, string> = {
  system: 'System',
  user: 'User (human)',
  assistant: 'Assistant',
  terminal: 'Terminal',
  custom: 'Custom…',
};

export interface ComposerTarget {
  role: Role;
  author: string;
  /** What the one button says: "Add as User". */
  buttonLabel: string;
}

/** `null` when the choice is Custom and no name has been typed yet: there is nothing honest to add. */
export function composerTarget(choice: ComposerChoice, customName: string): ComposerTarget | null {
  switch (choice) {
    case 'system':
      return { role: 'system', author: 'human', buttonLabel: 'Add as System' };
    case 'user':
      return { role: 'user', author: 'human', buttonLabel: 'Add as User' };
    case 'assistant':
      return { role: 'assistant', author: 'human', buttonLabel: 'Add as Assistant' };
    case 'terminal':
      return { role: 'user', author: 'terminal', buttonLabel: 'Add as Terminal' };
    case 'custom': {
      const name = customName.trim();
      if (name === '') return null;
      return { role: 'user', author: name, buttonLabel: `Add as ${name}` };
    }
  }
}

export function isComposerChoice(value: string): value is ComposerChoice {
  return (COMPOSER_CHOICES as readonly string[]).includes(value);
}
