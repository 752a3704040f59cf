/**
 * The commands a message puts forward, before they become proposals: `run_command` tool calls, else fenced
 * shell blocks, else (when asked: the original app's Run on an assistant message a person wrote) the whole
 * text. Pure; the terminal turns drafts into stored proposals.
 */
import type { Message } from './domain.ts';
import {
  extractFencedCommands,
  parseRunCommandArguments,
  RUN_COMMAND_TOOL_NAME,
} from './extract-proposals.ts';

export interface ProposalDraft {
  command: string;
  timeoutSeconds: number | null;
  toolCallId: string | null;
  /** Set when the tool call was unusable: the proposal is rejected with this, for the model to read. */
  error: string | null;
}

/**
 * @example
 * proposalDrafts({ ...message, content: 'Try:\n```bash\nls\n```' }, false)
 * // [{ command: 'ls', timeoutSeconds: null, toolCallId: null, error: null }]
 */
export function proposalDrafts(message: Message, wholeText: boolean): ProposalDraft[] {
  if (message.toolCalls.length > 0) {
    return message.toolCalls.map((call) => {
      if (call.name !== RUN_COMMAND_TOOL_NAME) {
        return {
          command: '',
          timeoutSeconds: null,
          toolCallId: call.id,
          error: `unknown tool ${call.name}; use ${RUN_COMMAND_TOOL_NAME}`,
        };
      }
      const parsed = parseRunCommandArguments(call.arguments);
      return parsed.ok
        ? { command: parsed.command, timeoutSeconds: parsed.timeoutSeconds, toolCallId: call.id, error: null }
        : { command: call.arguments, timeoutSeconds: null, toolCallId: call.id, error: parsed.error };
    });
  }
  const fenced = extractFencedCommands(message.content);
  if (fenced.length > 0) {
    return fenced.map((block) => ({
      command: block.command,
      timeoutSeconds: null,
      toolCallId: null,
      error: null,
    }));
  }
  if (wholeText && message.content.trim() !== '') {
    return [{ command: message.content.trim(), timeoutSeconds: null, toolCallId: null, error: null }];
  }
  return [];
}
