import { describe, expect, it } from 'vitest';
import { restoreSummary } from './restore-summary.ts';

describe('restoreSummary', () => {
  it('names the messages that came after the restored step, the first three of them', () => {
    const after = ['one', 'two', 'three', 'four', 'five'].map((preview, index) => ({
      id: `m${index}`,
      role: index % 2 === 0 ? 'assistant' : 'tool',
      preview,
    }));
    expect(restoreSummary(after)).toBe(
      'Files restored to before this step. 5 messages came after it: assistant “one”, tool “two”, assistant “three” and 2 more.',
    );
  });

  it('shortens a long preview to one line, and says so when nothing came after', () => {
    const long = `first line\n${'x'.repeat(100)}`;
    const text = restoreSummary([{ id: 'm1', role: 'user', preview: long }]);
    expect(text).toMatch(
      /^Files restored to before this step\. 1 message came after it: user “first line x+…”\.$/,
    );
    expect(restoreSummary([])).toBe('Files restored to before this step. No message came after it.');
    expect(restoreSummary([{ id: 'm2', role: 'assistant', preview: '  ' }])).toBe(
      'Files restored to before this step. 1 message came after it: assistant (a tool call).',
    );
  });
});
