/**
 * What goes back to the conversation (and so to the model) when a proposal or command is settled: the
 * command's result, that it was cancelled before it started, or why it did not run. A tool call is answered
 * with a `tool` message; anything else becomes the terminal's (or the person's) `user` message.
 */
import type { LiveEvent } from '../core/api/events.ts';
import { type CommandResultForText, commandResultText } from '../core/command-result-text.ts';
import type { Message } from '../core/domain.ts';
import { changedActionText } from '../core/file-action-summary.ts';
import type { Execution } from '../store/executions.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';
import { proposalUpdated } from './proposal-status.ts';

/**
 * Appends the result message and links it to the execution. Call inside the transaction that ends the
 * execution, so the end and its answer are written together.
 */
export async function appendCommandResult(
  store: Store,
  input: {
    execution: Execution;
    proposal: Proposal | null;
    /** As run. */
    command: string;
    result: CommandResultForText;
    maxChars: number;
  },
): Promise<{ execution: Execution; message: Message }> {
  const { execution, proposal } = input;
  const message = await store.messages.append(execution.conversationId, {
    ...(proposal?.toolCallId
      ? { role: 'tool' as const, toolCallId: proposal.toolCallId }
      : { role: 'user' as const }),
    author: 'terminal',
    editor: 'terminal',
    content: commandResultText({
      command: input.command,
      proposed: proposal?.command ?? null,
      changedAction: changedActionText(proposal?.action ?? null, execution.actionRun),
      result: input.result,
      asToolResult: proposal !== null && proposal.toolCallId !== null,
      maxChars: input.maxChars,
    }),
  });
  return { execution: await store.executions.linkResult(execution.id, message.id), message };
}

/**
 * What announces an execution's end: the end, its result message, its proposal's new state. Read inside the
 * transaction that wrote them; the caller publishes them once it has committed.
 */
export async function commandEndEvents(
  store: Store,
  ended: { execution: Execution; message: Message; proposal: Proposal | null },
): Promise<LiveEvent[]> {
  const { conversationId } = ended.execution;
  return [
    { type: 'command-ended', conversationId, execution: ended.execution },
    { type: 'message-created', conversationId, message: ended.message },
    ...(ended.proposal === null ? [] : [await proposalUpdated(store, ended.proposal.id)]),
  ];
}

/**
 * Answers the tool call (or the conversation) with why the command did not run, so the model knows: the
 * person's reason, the policy's, or what was wrong with the call itself. Call inside the transaction that
 * rejects the proposal, so the rejection and its answer are written together; returns the `message-created`
 * event to publish once it has committed.
 */
export async function appendRejection(
  store: Store,
  proposal: Proposal,
  by: 'person' | 'policy' | 'invalid-call',
): Promise<LiveEvent> {
  const reason = proposal.reason ? `: ${proposal.reason}` : '';
  const text =
    by === 'invalid-call'
      ? (proposal.reason ?? 'the call could not be read')
      : by === 'policy'
        ? `not run${reason}`
        : `rejected by the user${reason}`;
  const message = await store.messages.append(proposal.conversationId, {
    ...(proposal.toolCallId
      ? { role: 'tool' as const, toolCallId: proposal.toolCallId }
      : { role: 'user' as const }),
    author: proposal.toolCallId || by !== 'person' ? 'terminal' : 'human',
    editor: by === 'person' ? 'human' : 'terminal',
    content: proposal.toolCallId ? text : `Command ${text}: ${proposal.command}`,
  });
  return { type: 'message-created', conversationId: proposal.conversationId, message };
}
