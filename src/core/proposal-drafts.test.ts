import { describe, expect, it } from 'vitest';
import { pathMessage } from './context/test-messages.ts';
import { proposalDrafts } from './proposal-drafts.ts';

const assistant = (fields: Omit<Parameters<typeof pathMessage>[0], 'role'>) =>
  pathMessage({ ...fields, role: 'assistant' });

describe('proposalDrafts', () => {
  it('takes run_command tool calls first, in order, with their timeouts', () => {
    const drafts = proposalDrafts(
      assistant({
        content: '```bash\nignored\n```',
        toolCalls: [
          { id: 'a', name: 'run_command', arguments: '{"command":"ls","timeout_seconds":5}' },
          { id: 'b', name: 'run_command', arguments: '{"command":"pwd"}' },
        ],
      }),
      false,
    );
    expect(drafts).toEqual([
      { command: 'ls', timeoutSeconds: 5, toolCallId: 'a', action: null, error: null },
      { command: 'pwd', timeoutSeconds: null, toolCallId: 'b', action: null, error: null },
    ]);
  });

  it('turns an unusable call into an error for the model instead of a command', () => {
    const [bad, unknown] = proposalDrafts(
      assistant({
        content: '',
        toolCalls: [
          { id: 'a', name: 'run_command', arguments: '{"command":' },
          { id: 'b', name: 'delete_everything', arguments: '{}' },
        ],
      }),
      false,
    );
    expect(bad).toMatchObject({ toolCallId: 'a', error: expect.stringMatching(/not valid JSON/) });
    expect(unknown).toMatchObject({
      toolCallId: 'b',
      error: 'unknown tool delete_everything; use run_command, read_file, write_file or edit_file',
    });
  });

  it('takes fenced shell blocks from plain text, and the whole text only when asked', () => {
    const fenced = assistant({ content: 'First\n```sh\nmake\n```\nthen\n```console\n$ make test\nok\n```' });
    expect(proposalDrafts(fenced, false).map((draft) => draft.command)).toEqual(['make', 'make test']);
    const plain = assistant({ content: 'cd ~/Projects; git init' });
    expect(proposalDrafts(plain, false)).toEqual([]);
    expect(proposalDrafts(plain, true)).toEqual([
      {
        command: 'cd ~/Projects; git init',
        timeoutSeconds: null,
        toolCallId: null,
        action: null,
        error: null,
      },
    ]);
  });

  it('takes file tool calls as file actions, with a summary where the command would be', () => {
    const [read, edit, bad] = proposalDrafts(
      assistant({
        content: '',
        toolCalls: [
          { id: 'a', name: 'read_file', arguments: '{"path":"src/a.ts","start_line":3,"end_line":9}' },
          {
            id: 'b',
            name: 'edit_file',
            arguments: '{"path":"src/a.ts","edits":[{"old_text":"x = 1","new_text":"x = 2"}]}',
          },
          { id: 'c', name: 'write_file', arguments: '{"path":"a.txt"}' },
        ],
      }),
      false,
    );
    expect(read).toEqual({
      command: 'read_file src/a.ts:3-9',
      timeoutSeconds: null,
      toolCallId: 'a',
      action: { tool: 'read_file', path: 'src/a.ts', startLine: 3, endLine: 9 },
      error: null,
    });
    expect(edit).toMatchObject({
      command: 'edit_file src/a.ts (1 block)',
      action: { tool: 'edit_file', path: 'src/a.ts', edits: [{ oldText: 'x = 1', newText: 'x = 2' }] },
      error: null,
    });
    expect(bad).toMatchObject({ toolCallId: 'c', action: null, error: expect.stringMatching(/content/) });
  });

  it('takes shell and file-action blocks from plain text in the order they were written', () => {
    const message = assistant({
      content: [
        'First look:',
        '```bash',
        'ls',
        '```',
        'Then fix it:',
        '```edit src/a.ts',
        '<<<<<<< SEARCH',
        'x = 1',
        '=======',
        'x = 2',
        '>>>>>>> REPLACE',
        '```',
        'And test:',
        '```sh',
        'npm test',
        '```',
      ].join('\n'),
    });
    expect(
      proposalDrafts(message, false).map((draft) => [draft.command, draft.action?.tool ?? null]),
    ).toEqual([
      ['ls', null],
      ['edit_file src/a.ts (1 block)', 'edit_file'],
      ['npm test', null],
    ]);
  });
});
