import { describe, expect, it } from 'vitest';
import { legacyConversationTitle, shortenTitle } from './conversation-title.ts';

describe('legacyConversationTitle', () => {
  const path = [
    { role: 'system' as const, author: 'human', content: 'You are an AI programmer.' },
    { role: 'user' as const, author: 'terminal', content: '$ ls' },
    { role: 'user' as const, author: 'human', content: 'Write me a linear algebra framework in python' },
  ];

  it('prefers the first line of the description', () => {
    expect(legacyConversationTitle('\nVector maths\nmore detail', path)).toBe('Vector maths');
  });

  it('else uses what the person first asked', () => {
    expect(legacyConversationTitle('', path)).toBe('Write me a linear algebra framework in python');
  });

  it('else the first message that is not the system prompt, else a placeholder', () => {
    expect(legacyConversationTitle('', [{ role: 'assistant', author: 'human', content: 'Hello' }])).toBe(
      'Hello',
    );
    expect(legacyConversationTitle('', [path[0] as (typeof path)[0]])).toBe('You are an AI programmer.');
    expect(legacyConversationTitle('  ', [])).toBe('Imported conversation');
  });
});

describe('shortenTitle', () => {
  it('keeps a short line as it is, on one line', () => {
    expect(shortenTitle('  fix\n the   build ')).toBe('fix the build');
  });

  it('cuts a long line at a word boundary and marks the cut', () => {
    const title = shortenTitle(
      'Write me a linear algebra framework in python, include classes for vectors',
      40,
    );
    expect(title).toBe('Write me a linear algebra framework in…');
    expect([...title].length).toBeLessThanOrEqual(40);
  });

  it('cuts a long word where it must, without splitting a surrogate pair', () => {
    expect(shortenTitle('🙂'.repeat(50), 10)).toBe(`${'🙂'.repeat(9)}…`);
  });
});
