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
      { command: 'ls', timeoutSeconds: 5, toolCallId: 'a', error: null },
      { command: 'pwd', timeoutSeconds: null, toolCallId: 'b', error: null },
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
      error: 'unknown tool delete_everything; use run_command',
    });
  });

  it('takes fenced shell blocks from plain text, and the whole text only when asked', () => {
    const fenced = assistant({ content: 'First\n```sh\nmake\n```\nthen\n```console\n$ make test\nok\n```' });
    expect(proposalDrafts(fenced, false).map((draft) => draft.command)).toEqual(['make', 'make test']);
    const plain = assistant({ content: 'cd ~/Projects; git init' });
    expect(proposalDrafts(plain, false)).toEqual([]);
    expect(proposalDrafts(plain, true)).toEqual([
      { command: 'cd ~/Projects; git init', timeoutSeconds: null, toolCallId: null, error: null },
    ]);
  });
});
