import { describe, expect, it } from 'vitest';
import { CreateMessageBody } from '../../../src/core/api/schemas.ts';
import { parseRunCommandArguments } from '../../../src/core/extract-proposals.ts';
import { parseFileActionArguments } from '../../../src/core/file-edits/file-action-arguments.ts';
import {
  buildToolCall,
  describeToolCall,
  draftOf,
  emptyDraft,
  TOOL_CALL_KINDS,
  type ToolCallDraft,
  type WrittenToolCall,
} from './written-tool-calls.ts';

function built(draft: ToolCallDraft): WrittenToolCall {
  const result = buildToolCall(draft);
  if (!result.ok) throw new Error(`expected a call, got ${JSON.stringify(result.problems)}`);
  return result.call;
}

function problems(draft: ToolCallDraft): Record<string, string> {
  const result = buildToolCall(draft);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.call)}`);
  return Object.fromEntries(result.problems.map((problem) => [problem.field, problem.message]));
}

/** What the tools themselves read from the call, as a proposal would be made of it. */
function asTheToolReadsIt(call: WrittenToolCall): unknown {
  const text = JSON.stringify(call.arguments);
  return call.name === 'run_command'
    ? parseRunCommandArguments(text)
    : parseFileActionArguments(call.name, text);
}

describe('buildToolCall', () => {
  it('turns a command with a timeout into run_command arguments, the command kept as typed', () => {
    const call = built({ kind: 'command', command: '  npm test\n', timeoutSeconds: ' 120 ' });
    expect(call).toEqual({
      name: 'run_command',
      arguments: { command: '  npm test\n', timeout_seconds: 120 },
    });
    expect(asTheToolReadsIt(call)).toEqual({ ok: true, command: '  npm test\n', timeoutSeconds: 120 });
  });

  it('leaves the timeout out when none is given', () => {
    expect(built({ kind: 'command', command: 'ls', timeoutSeconds: '' }).arguments).toEqual({
      command: 'ls',
    });
  });

  it('turns an edit of several blocks into edit_file arguments, the path trimmed, an empty new text kept', () => {
    const call = built({
      kind: 'edit',
      path: ' src/sum.mjs ',
      blocks: [
        { oldText: 'a - b', newText: 'a + b' },
        { oldText: '// TODO\n', newText: '' },
      ],
    });
    expect(call).toEqual({
      name: 'edit_file',
      arguments: {
        path: 'src/sum.mjs',
        edits: [
          { old_text: 'a - b', new_text: 'a + b' },
          { old_text: '// TODO\n', new_text: '' },
        ],
      },
    });
    expect(asTheToolReadsIt(call)).toMatchObject({
      ok: true,
      action: { kind: 'edit_file', path: 'src/sum.mjs' },
    });
  });

  it('turns a write into write_file arguments, even of an empty file', () => {
    const call = built({ kind: 'write', path: 'notes/todo.md', content: '' });
    expect(call).toEqual({ name: 'write_file', arguments: { path: 'notes/todo.md', content: '' } });
    expect(asTheToolReadsIt(call)).toMatchObject({ ok: true });
  });

  it('turns a read into read_file arguments with the lines given, and none when none are', () => {
    const ranged = built({ kind: 'read', path: 'README.md', startLine: '3', endLine: '9' });
    expect(ranged).toEqual({
      name: 'read_file',
      arguments: { path: 'README.md', start_line: 3, end_line: 9 },
    });
    expect(asTheToolReadsIt(ranged)).toEqual({
      ok: true,
      action: { kind: 'read_file', path: 'README.md', startLine: 3, endLine: 9 },
    });
    expect(built({ kind: 'read', path: 'README.md', startLine: '', endLine: '' }).arguments).toEqual({
      path: 'README.md',
    });
  });

  it('says what is missing: the command, the path, each empty old text', () => {
    expect(problems({ kind: 'command', command: ' \n ', timeoutSeconds: '' })).toEqual({
      command: 'Write the command to run.',
    });
    expect(
      problems({
        kind: 'edit',
        path: '  ',
        blocks: [
          { oldText: 'x', newText: 'y' },
          { oldText: '', newText: 'z' },
        ],
      }),
    ).toEqual({
      path: 'Give the file’s path, relative to the workspace (e.g. src/index.ts).',
      'blocks.1.oldText': 'Block 2: give the text to replace; it must occur exactly once in the file.',
    });
    expect(Object.keys(problems({ kind: 'write', path: '', content: 'x' }))).toEqual(['path']);
    expect(Object.keys(problems({ kind: 'edit', path: 'a', blocks: [] }))).toEqual(['blocks.0.oldText']);
  });

  it('refuses a timeout or line numbers the tools would refuse', () => {
    for (const timeoutSeconds of ['0', '-5', 'soon', '3601']) {
      expect(Object.keys(problems({ kind: 'command', command: 'ls', timeoutSeconds }))).toEqual([
        'timeoutSeconds',
      ]);
    }
    expect(problems({ kind: 'read', path: 'a', startLine: '0', endLine: '2.5' })).toEqual({
      startLine: 'The first line is a whole number of 1 or more.',
      endLine: 'The last line is a whole number of 1 or more.',
    });
    expect(problems({ kind: 'read', path: 'a', startLine: '9', endLine: '3' })).toEqual({
      endLine: 'The last line cannot come before the first.',
    });
  });

  it('builds what the API takes on an assistant message, with an empty text beside it', () => {
    const toolCalls = [
      built({ kind: 'edit', path: 'a.ts', blocks: [{ oldText: '1', newText: '2' }] }),
      built({ kind: 'command', command: 'cat a.ts', timeoutSeconds: '' }),
    ];
    expect(CreateMessageBody.safeParse({ role: 'assistant', content: '', toolCalls }).success).toBe(true);
  });
});

describe('the drafts and chips', () => {
  it('starts each form empty, with one block for an edit, and none of them builds as it is', () => {
    expect(emptyDraft('edit')).toEqual({ kind: 'edit', path: '', blocks: [{ oldText: '', newText: '' }] });
    for (const kind of TOOL_CALL_KINDS) expect(buildToolCall(emptyDraft(kind)).ok).toBe(false);
  });

  it('opens a call again as the draft it was built from', () => {
    const drafts: ToolCallDraft[] = [
      { kind: 'command', command: 'npm test', timeoutSeconds: '30' },
      { kind: 'edit', path: 'a.ts', blocks: [{ oldText: 'x', newText: 'y' }] },
      { kind: 'write', path: 'b.md', content: '# B\n' },
      { kind: 'read', path: 'c.ts', startLine: '2', endLine: '' },
    ];
    for (const draft of drafts) expect(draftOf(built(draft))).toEqual(draft);
  });

  it('describes a call in one line', () => {
    expect(describeToolCall(built({ kind: 'command', command: 'cd a\nmake', timeoutSeconds: '' }))).toBe(
      'cd a …',
    );
    expect(
      describeToolCall(built({ kind: 'edit', path: 'a.ts', blocks: [{ oldText: 'x', newText: 'y' }] })),
    ).toBe('a.ts (1 block)');
    expect(describeToolCall(built({ kind: 'write', path: 'b.md', content: 'héllo' }))).toBe(
      'b.md (5 characters)',
    );
    expect(describeToolCall(built({ kind: 'read', path: 'c.ts', startLine: '', endLine: '' }))).toBe('c.ts');
    expect(describeToolCall(built({ kind: 'read', path: 'c.ts', startLine: '4', endLine: '' }))).toBe(
      'c.ts, lines 4–end',
    );
  });
});
