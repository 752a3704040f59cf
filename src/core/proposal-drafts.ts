/**
 * What a message puts forward, before it becomes proposals: tool calls (`run_command`, `read_file`,
 * `write_file`, `edit_file`), else fenced blocks in the text (shell blocks and the file-action blocks of
 * docs/file-edits.md, in the order written), else (when asked: the original app's Run on an assistant
 * message a person wrote) the whole text as one command. Pure; the terminal turns drafts into proposals.
 */
import type { FileAction as ApiFileAction } from './api/terminal-schemas.ts';
import type { Message } from './domain.ts';
import {
  extractFencedCommands,
  parseRunCommandArguments,
  RUN_COMMAND_TOOL_NAME,
} from './extract-proposals.ts';
import { fileActionSummary, toApiFileAction } from './file-action-summary.ts';
import { isFileActionKind } from './file-edits/file-action.ts';
import { parseFileActionArguments } from './file-edits/file-action-arguments.ts';
import { parseFileActions } from './file-edits/search-replace-blocks.ts';

export interface ProposalDraft {
  /** The command; for a file action, a one-line summary of it. */
  command: string;
  timeoutSeconds: number | null;
  toolCallId: string | null;
  /** A file action; null for a command. */
  action: ApiFileAction | null;
  /** Set when the call or block was unusable: the proposal is rejected with this, for the model to read. */
  error: string | null;
}

const TOOL_NAMES = `${RUN_COMMAND_TOOL_NAME}, read_file, write_file or edit_file`;

/**
 * @example
 * proposalDrafts({ ...message, content: 'Try:\n```bash\nls\n```' }, false)
 * // [{ command: 'ls', timeoutSeconds: null, toolCallId: null, action: null, error: null }]
 */
export function proposalDrafts(message: Message, wholeText: boolean): ProposalDraft[] {
  if (message.toolCalls.length > 0) {
    return message.toolCalls.map((call) => {
      const base = { timeoutSeconds: null, toolCallId: call.id, action: null };
      if (isFileActionKind(call.name)) {
        const parsed = parseFileActionArguments(call.name, call.arguments);
        if (!parsed.ok) return { ...base, command: `${call.name} ${call.arguments}`, error: parsed.error };
        return fileDraft(toApiFileAction(parsed.action), call.id);
      }
      if (call.name !== RUN_COMMAND_TOOL_NAME) {
        return { ...base, command: '', error: `unknown tool ${call.name}; use ${TOOL_NAMES}` };
      }
      const parsed = parseRunCommandArguments(call.arguments);
      return parsed.ok
        ? { ...base, command: parsed.command, timeoutSeconds: parsed.timeoutSeconds, error: null }
        : { ...base, command: call.arguments, error: parsed.error };
    });
  }
  const blocks = [
    ...extractFencedCommands(message.content).map((block) => ({
      start: block.start,
      draft: { command: block.command, timeoutSeconds: null, toolCallId: null, action: null, error: null },
    })),
    ...parseFileActions(message.content).map((block) => ({
      start: block.start,
      draft:
        block.error === null
          ? fileDraft(toApiFileAction(block), null)
          : {
              command: `${block.kind} ${block.path ?? ''}`.trim(),
              timeoutSeconds: null,
              toolCallId: null,
              action: null,
              error: block.error,
            },
    })),
  ].sort((a, b) => a.start - b.start);
  if (blocks.length > 0) return blocks.map((block) => block.draft);
  if (wholeText && message.content.trim() !== '') {
    return [
      { command: message.content.trim(), timeoutSeconds: null, toolCallId: null, action: null, error: null },
    ];
  }
  return [];
}

function fileDraft(action: ApiFileAction, toolCallId: string | null): ProposalDraft {
  return { command: fileActionSummary(action), timeoutSeconds: null, toolCallId, action, error: null };
}
