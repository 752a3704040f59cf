import { describe, expect, it } from 'vitest';
import { COMPOSER_CHOICES, composerTarget, isComposerChoice } from './composer-roles.ts';

describe('composerTarget', () => {
  it('maps each choice to the role and author the issue names', () => {
    expect(composerTarget('system', '')).toMatchObject({ role: 'system', author: 'human' });
    expect(composerTarget('user', '')).toMatchObject({ role: 'user', author: 'human' });
    expect(composerTarget('assistant', '')).toMatchObject({ role: 'assistant', author: 'human' });
    expect(composerTarget('terminal', '')).toMatchObject({ role: 'user', author: 'terminal' });
    expect(composerTarget('custom', '  Reviewer ')).toEqual({
      role: 'user',
      author: 'Reviewer',
      buttonLabel: 'Add as Reviewer',
    });
  });

  it('has no target for a custom choice without a name', () => {
    expect(composerTarget('custom', '   ')).toBeNull();
  });

  it('labels the button with what it will do', () => {
    const labels = COMPOSER_CHOICES.map((choice) => composerTarget(choice, 'Bob')?.buttonLabel);
    expect(labels).toEqual([
      'Add as System',
      'Add as User',
      'Add as Assistant',
      'Add as Terminal',
      'Add as Bob',
    ]);
  });

  it('recognises only its own choices', () => {
    expect(isComposerChoice('terminal')).toBe(true);
    expect(isComposerChoice('tool')).toBe(false);
  });
});
