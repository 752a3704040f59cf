import { describe, expect, it } from 'vitest';
import type { ProviderDialect } from '../provider.ts';
import { assembleContext } from './assemble-context.ts';
import { pathMessage } from './test-messages.ts';

const openai: ProviderDialect = { authorNames: 'name-field', toolMessages: true };

describe('a summary in context assembly (issue 8 item 7)', () => {
  it('is read where the first message it summarizes stands, and its unchecked originals are left out', () => {
    const task = pathMessage({ role: 'user', content: 'fix the bug' });
    const explore = pathMessage({ role: 'assistant', content: 'I looked at the tree', included: false });
    const output = pathMessage({ role: 'user', content: 'long output', author: 'terminal', included: false });
    const latest = pathMessage({ role: 'user', content: 'now run the tests' });
    const summary = pathMessage({
      role: 'user',
      author: 'model',
      content: 'Summary: explored, found src/bug.ts',
      summarizes: [explore.id, output.id],
    });
    const context = assembleContext({ path: [task, explore, output, latest, summary], dialect: openai });
    expect(context.messages.map((message) => message.content)).toEqual([
      'fix the bug',
      'Summary: explored, found src/bug.ts',
      'now run the tests',
    ]);
    expect(context.sourceMessageIds).toEqual([[task.id], [summary.id], [latest.id]]);
    expect(context.skipped.map((entry) => entry.messageId)).toEqual([explore.id, output.id]);
  });

  it('undone (unchecked, its originals checked again), it leaves the history as it was', () => {
    const first = pathMessage({ role: 'user', content: 'one' });
    const second = pathMessage({ role: 'assistant', content: 'two' });
    const summary = pathMessage({
      role: 'user',
      content: 'Summary of one and two',
      summarizes: [first.id, second.id],
      included: false,
    });
    const context = assembleContext({ path: [first, second, summary], dialect: openai });
    expect(context.messages.map((message) => message.content)).toEqual(['one', 'two']);
  });

  it('stays at its own place when none of its originals is on the path', () => {
    const other = pathMessage({ role: 'user', content: 'on this branch' });
    const summary = pathMessage({ role: 'user', content: 'Summary', summarizes: ['elsewhere'] });
    const context = assembleContext({ path: [other, summary], dialect: openai });
    expect(context.messages.map((message) => message.content)).toEqual(['on this branch', 'Summary']);
  });
});

describe('the system prompt setting in context assembly', () => {
  it('is sent first when the path holds no system message, and says so', () => {
    const user = pathMessage({ role: 'user', content: 'hello' });
    const context = assembleContext({ path: [user], dialect: openai, systemPrompt: 'Explore first.' });
    expect(context.messages).toEqual([
      { role: 'system', content: 'Explore first.' },
      { role: 'user', content: 'hello' },
    ]);
    expect(context.sourceMessageIds).toEqual([[], [user.id]]);
    expect(context.systemPromptFromSettings).toBe(true);
  });

  it('gives way to a system message on the path, even an unchecked one, and is not sent when empty', () => {
    const own = pathMessage({ role: 'system', content: 'Be brief.', included: false });
    const user = pathMessage({ role: 'user', content: 'hello' });
    const withOwn = assembleContext({ path: [own, user], dialect: openai, systemPrompt: 'Explore first.' });
    expect(withOwn.messages).toEqual([{ role: 'user', content: 'hello' }]);
    expect(withOwn.systemPromptFromSettings).toBe(false);
    const empty = assembleContext({ path: [user], dialect: openai, systemPrompt: '' });
    expect(empty.messages).toEqual([{ role: 'user', content: 'hello' }]);
  });
});
